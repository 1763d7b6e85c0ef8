import Foundation
import Hummingbird
import HTTPTypes
import KotaeCore
import KotaeStore

/// `/help/{locale}/contact`: how to reach the shop, with each channel's **measured** reply
/// time (the 90th percentile of its first responses over 28 days, in business hours where it
/// counts them), its business hours and, when closed, when the next reply can come; the
/// support address, the return policy, and a contact form that becomes an email conversation
/// with the sender's address. The form keeps programs out without a third-party service: a
/// field people never see, a signed time stamp, and limits per network address and per sender.
struct ContactPage {
    let app: AppServices
    let pages: HelpPages

    static let messageLength = 5_000

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("help/:locale/contact", use: show)
        router.post("help/:locale/contact", use: submit)
    }

    struct Filled {
        var name = "", email = "", message = ""
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let locale = try pages.locale(context)
        return try await render(request, locale, sent: request.uri.queryParameters.get("sent") != nil)
    }

    func render(
        _ request: Request, _ locale: HelpLocale, sent: Bool = false, filled: Filled = Filled(), problem: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let help = try await app.help.current()
        let shop = help.settings
        let base = pages.baseURL(request)
        let now = app.clock.now
        var channels: [[String: Any]] = []
        for inbox in try await app.store.inboxes.all() where ![.api, .form].contains(inbox.channel) {
            channels.append(try await channel(inbox, locale, now: now))
        }
        let formInbox = try await shop.contactInboxId.asyncFlatMap { try await app.store.inboxes.find(id: $0) }
        var model = try await pages.common(
            locale, base: base, path: "/help/\(locale.rawValue)/contact", shop: shop, title: pages.t(locale, "contact"))
        model.merge([
            "channels": channels, "hasChannels": !channels.isEmpty, "form": formInbox != nil, "sent": sent, "problem": problem ?? "",
            "stamp": app.contactStamp.stamp(now), "filled": ["name": filled.name, "email": filled.email, "message": filled.message],
            "action": "/help/\(locale.rawValue)/contact", "ogType": "website",
            "alternates": pages.alternates(base, current: locale) { "/help/\($0.rawValue)/contact" },
            "jsonLD": HelpStructuredData.organization(
                shop, url: base + "/help/\(locale.rawValue)", contactURL: base + "/help/\(locale.rawValue)/contact"),
        ]) { _, b in b }
        var response = pages.page("help-contact", model, status: status)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// One channel as the page shows it: how to reach it and what its replies measured.
    func channel(_ inbox: Inbox, _ locale: HelpLocale, now: Date) async throws -> [String: Any] {
        let t = { (key: String, values: [String: String]) in pages.t(locale, key, values) }
        let hours = inbox.slaPolicy.businessHours
        let measured = MeasuredReplyTime.p90(
            try await app.store.conversations.firstResponseSeconds(inboxId: inbox.id, since: now.addingTimeInterval(-MeasuredReplyTime.window)))
        var expected: String
        if let measured {
            let words = MeasuredReplyTime.words(measured)
            expected = t(hours == nil ? "reply_measured" : "reply_measured_business", ["time": locale == .ja ? words.ja : words.en])
        } else {
            expected = t("reply_unmeasured", [:])
        }
        var next = ""
        if let hours, let opens = MeasuredReplyTime.nextOpening(hours, after: now) {
            let f = DateFormatter()
            f.timeZone = TimeZone(identifier: hours.timeZone) ?? .current
            f.locale = Locale(identifier: locale == .ja ? "ja_JP" : "en_US_POSIX")
            f.dateFormat = locale == .ja ? "M月d日(E) H:mm" : "EEE d MMM, HH:mm"
            next = t("reply_after", ["time": f.string(from: opens)])
        }
        let address = inbox.channel == .email ? (try? EmailSettings(stored: inbox.settings))?.address ?? "" : ""
        return [
            "name": inbox.name, "kind": t("channel_\(inbox.channel.rawValue)", [:]), "address": address, "expected": expected,
            "hours": hours.map { Self.describe($0, locale) } ?? t("hours_always", [:]), "next": next,
        ]
    }

    /// `月・火・水・木・金 10:00–18:00（祝日を除く）`: days with the same hours together.
    static func describe(_ hours: BusinessHours, _ locale: HelpLocale) -> String {
        let names = locale == .ja ? ["", "月", "火", "水", "木", "金", "土", "日"] : ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        func clock(_ minutes: Int) -> String { String(format: "%d:%02d", minutes / 60, minutes % 60) }
        var groups: [(spans: String, days: [Int])] = []
        for day in 1...7 {
            guard let spans = hours.week[day], !spans.isEmpty else { continue }
            let text = spans.map { "\(clock($0.start))–\(clock($0.end))" }.joined(separator: ", ")
            if let i = groups.firstIndex(where: { $0.spans == text }) { groups[i].days.append(day) } else { groups.append((text, [day])) }
        }
        let list = groups.map { "\($0.days.map { names[$0] }.joined(separator: locale == .ja ? "・" : ", ")) \($0.spans)" }
        var text = list.joined(separator: locale == .ja ? "、" : "; ")
        if hours.japaneseHolidays { text += locale == .ja ? "（祝日を除く）" : " (closed on Japanese holidays)" }
        return text + (locale == .ja ? "［\(hours.timeZone)］" : " [\(hours.timeZone)]")
    }

    func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let locale = try pages.locale(context)
        let t = { (key: String) in pages.t(locale, key) }
        let client = context.remoteAddress?.ipAddress ?? "?"
        guard await app.limits.contactPerClient.admit(client) else {
            return try await render(request, locale, problem: t("contact_too_many"), status: .tooManyRequests)
        }
        // 5,000 characters of Japanese, percent-encoded, are 45 KB.
        let body = String(buffer: try await request.body.collect(upTo: 128 * 1024))
        let form = (try? URLEncodedFormDecoder().decode([String: String].self, from: body)) ?? [:]
        let filled = Filled(
            name: (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            email: (form["email"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            message: (form["message"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        // Filled in only by programs (people never see it): thanked, and nothing stored.
        if !(form["website"] ?? "").isEmpty { return .redirect(to: "/help/\(locale.rawValue)/contact?sent=1", type: .normal) }
        switch app.contactStamp.check(form["stamp"], now: app.clock.now) {
        case .person: break
        case .tooFast, .stale, .forged:
            return try await render(request, locale, filled: filled, problem: t("contact_again"), status: .unprocessableContent)
        }
        guard Self.isAddress(filled.email) else {
            return try await render(request, locale, filled: filled, problem: t("contact_bad_email"), status: .unprocessableContent)
        }
        guard !filled.message.isEmpty, filled.message.count <= Self.messageLength, filled.name.count <= 100 else {
            return try await render(request, locale, filled: filled, problem: t("contact_bad_message"), status: .unprocessableContent)
        }
        guard let id = try await app.help.current().settings.contactInboxId, let inbox = try await app.store.inboxes.find(id: id) else {
            return try await render(request, locale, filled: filled, problem: t("contact_no_form"), status: .notFound)
        }
        guard await app.limits.contactPerAddress.admit(filled.email.lowercased()) else {
            return try await render(request, locale, filled: filled, problem: t("contact_too_many"), status: .tooManyRequests)
        }
        try await store(filled, in: inbox, locale: locale)
        return .redirect(to: "/help/\(locale.rawValue)/contact?sent=1", type: .normal)
    }

    /// An address a reply can go to: a dot-atom local part (no spaces, quotes or angle
    /// brackets) and a domain with a dot.
    static func isAddress(_ text: String) -> Bool {
        text.count <= 254 && text.wholeMatch(of: /[A-Za-z0-9!#$%&'*+\/=?^_`{|}~.\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+/) != nil
    }

    /// As a mail from the sender would arrive: their address is the contact, a reply goes by email.
    func store(_ filled: Filled, in inbox: Inbox, locale: HelpLocale) async throws {
        let mailId = "contact-\(UUID().uuidString.lowercased())@kotae.form"
        let to = (try? EmailSettings(stored: inbox.settings))?.address ?? ""
        var message = InboundMessage(
            identity: ("email", filled.email.lowercased()), contactName: filled.name.isEmpty ? nil : filled.name,
            contactEmail: filled.email.lowercased(), externalId: ExternalIDKind.email.id(mailId), threadKey: ThreadKind.email.key(mailId),
            text: filled.message, sentAt: app.clock.now)
        message.details.email = EmailHeaders(
            subject: pages.t(locale, "contact_subject"), from: filled.name.isEmpty ? filled.email : "\(filled.name) <\(filled.email)>",
            to: to.isEmpty ? [] : [to], messageId: mailId)
        _ = try await app.receive(message, inbox: inbox)
    }
}

extension Optional {
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
