import Foundation
import KotaeCore
import KotaeStore

/// What every page's frame needs: language, words, the CSRF token for the scripts, who is signed in.
struct PageFrame {
    let lang: String
    let t: [String: String]
    let csrf: String
    let signedIn: Bool
    let userName: String
    let userId: Int64
    let isAdmin: Bool
    let title: String
    /// The table the scripts read, as JSON in a data attribute (no inline script).
    let stringsJSON: String
    /// Which top navigation entry is current: `nav.inbox`, `nav.search`, …
    let nav: [String: Bool]
    /// Unread notifications, for the header's badge.
    let notificationBadge: String
    let hasNotifications: Bool
    /// The agent's time zone: times they type (a custom snooze) are in it, not the browser's.
    let timeZone: String

    init(lang: String, user: User?, csrf: String?, title: String, section: String = "inbox", unreadNotifications: Int = 0) {
        self.lang = lang
        t = WebStrings.table(lang)
        self.csrf = csrf ?? ""
        signedIn = user != nil
        userName = user?.name ?? ""
        userId = user?.id ?? 0
        isAdmin = user?.role == .admin
        self.title = title
        stringsJSON = WebStrings.json(lang)
        nav = [section: true]
        notificationBadge = unreadNotifications > 99 ? "99+" : String(unreadNotifications)
        hasNotifications = unreadNotifications > 0
        timeZone = user?.timeZone ?? "Asia/Tokyo"
    }
}

struct ViewLink {
    let key: String
    let label: String
    let href: String
    let count: String
    let active: Bool
}

/// One row of the inbox list.
struct ConversationRow {
    let id: Int64
    let href: String
    let name: String
    let channel: String
    let channelLabel: String
    let snippet: String
    let waitingSince: String
    let waitingText: String
    let sla: String
    let slaText: String
    /// The running target, for the page to turn the pill by itself (ISO times, or "").
    let dueAt: String
    let warnAt: String
    /// 「期限 12/2(水) 17:09」 and 「残り3時間」; nil when nothing is due.
    let dueText: String?
    let remainingText: String?
    let assignee: String
    let unread: Bool
    let isPublic: Bool
    /// The words Japanese support teams use: 未対応 / 対応中 / 返信待ち / 保留 / スヌーズ中 / 対応済み.
    let stateKey: String
    let status: String
    let priority: String
    /// nil for no priority, so the row stays quiet.
    let priorityText: String?
    /// 「送信失敗」: the last reply never reached the customer.
    let sendFailed: Bool
    /// Why it was closed without an answer (対応不要 with its reason).
    let reasonText: String?

    init(
        _ c: Conversation, t: [String: String], users: [Int64: String], unread: Bool, now: Date,
        timeZone: TimeZone = WebFormat.defaultTimeZone
    ) {
        let k = c.clock
        id = c.id
        href = "/conversations/\(c.id)"
        name = c.contactName
        channel = c.channel.rawValue
        channelLabel = WebFormat.channelLabel(c.channel, t: t)
        snippet = c.snippet
        let since = k.needsReply ? k.waitingSince : nil
        waitingSince = since.map(WebFormat.iso) ?? ""
        waitingText = since.map { WebFormat.duration(now.timeIntervalSince($0), t: t) } ?? ""
        let state = k.slaState(at: now)
        sla = state.rawValue
        slaText = WebFormat.slaText(state, t: t)
        let due = state == .none || state == .paused ? nil : k.slaDueAt
        dueAt = due.map(WebFormat.iso) ?? ""
        warnAt = due == nil ? "" : k.slaWarnAt.map(WebFormat.iso) ?? ""
        dueText = due.map { (t["dueAt"] ?? "") + " " + WebFormat.dueClock($0, timeZone: timeZone, t: t) }
        remainingText = due.map { WebFormat.remaining(until: $0, now: now, t: t) }
        assignee = c.assigneeId.flatMap { users[$0] } ?? (t["nobody"] ?? "")
        self.unread = unread
        isPublic = c.isPublic
        stateKey = WebFormat.stateKey(k)
        status = t["state_\(stateKey)"] ?? stateKey
        priority = c.priority.rawValue
        priorityText = c.priority == .none ? nil : t["priority_\(c.priority.rawValue)"]
        sendFailed = k.replyFailedAt != nil
        reasonText = k.noReplyReason.map { (t["noReplyNeeded"] ?? "") + ": " + (t["reason_\($0.rawValue)"] ?? $0.rawValue) }
    }
}

/// One entry of a conversation's timeline.
struct TimelineEntry {
    let isActivity = false
    struct File {
        let href: String
        let name: String
        let isImage: Bool
    }
    let id: Int64
    let kind: String
    /// nil, not "", where there is nothing to show: Mustache sections treat "" as present.
    let kindLabel: String?
    let author: String
    let text: String
    let htmlFrame: String?
    let at: String
    let atText: String
    let delivery: String?
    let deliveryText: String?
    let failed: Bool
    let error: String?
    let errorDetail: String?
    /// A customer's public comment nobody has answered yet (each needs its own answer).
    let unanswered: Bool
    /// The post a comment belongs to, on the platform.
    let postURL: String?
    /// An e-mail's subject, From, To and Cc.
    let email: EmailLines?
    /// A mail's quoted history and signature, folded under its own words (the full text is kept).
    let quoted: String?
    /// What could not be read exactly in a mail (a charset, a broken part), said beside it.
    let mailWarning: String?
    /// A mail a program wrote (auto-reply, out-of-office, list, bounce): nobody needs to answer it.
    let automatedMail: String?

    struct EmailLines {
        let subject: String?
        let from: String?
        let to: String?
        let cc: String?
    }
    /// A reply still queued after a failed attempt: that it will go by itself, and why it waits.
    let retryNote: String?
    let files: [File]
    let hasFiles: Bool
    /// A public Facebook or Instagram comment the page can like or hide.
    let canModerate: Bool
    let liked: Bool
    let hidden: Bool
    let hiddenText: String?
    /// What the customer later did to it on the platform, said in the agent's language.
    let change: String?
    let editedText: String?
    /// Said when the platform's time for this message was impossible and the receive time is shown.
    let timeNote: String?
    /// A customer's message as triage read it: 「配送状況 · 否定的 · 急ぎ」.
    let triage: String?
    /// A reply held for approval (承認待ち), and what its supervisor said when they sent it back.
    let awaitingApproval: Bool
    let returnedComment: String?
    /// A reply a supervisor edited before it went: 「承認時に編集されました」.
    let approvalEdited: Bool
    /// A reply sent over the reply checker's warnings: 「確認の警告を承知で送信: あいまいな約束」.
    let overridden: String?

    /// `customerReadAt`: the customer's last read receipt in this conversation's private thread.
    init(
        _ m: Message, conversation: Conversation, t: [String: String], users: [Int64: String], timeZone: TimeZone,
        customerReadAt: Date? = nil
    ) {
        id = m.id
        kind = m.kind.rawValue
        // In a public thread, a comment and a DM (the customer's answer to a private reply)
        // sit side by side: each says which it is, and so does each answer.
        let direct = ExternalIDKind.of(m.externalId)?.isDirect == true
        switch m.kind {
        case .inbound where ExternalIDKind.of(m.externalId) == .instagramMention: kindLabel = t["publicMention"]
        case .inbound: kindLabel = conversation.isPublic && !direct ? t["publicComment"] : t["privateMessage"]
        case .note: kindLabel = t["internalNote"]
        case .outbound where conversation.isPublic: kindLabel = m.privateReply ? t["sentPrivate"] : t["sentPublic"]
        case .automated where m.details.autoReply == true: kindLabel = t["kotaeAutoReply"]
        case .automated where m.details.bot != nil: kindLabel = t["kotaeBot"]
        case .automated where m.details.kotae == "followUp": kindLabel = t["kotaeFollowUp"]
        case .automated where m.details.kotae == "survey": kindLabel = t["kotaeSurvey"]
        case .automated: kindLabel = t["automatedMessage"]
        default: kindLabel = nil
        }
        author =
            switch m.kind {
            case .inbound: conversation.contactName
            case .automated where m.details.autoReply == true || m.details.bot != nil || m.details.kotae != nil: "Kotae"
            case .automated: t["otherApp"] ?? ""
            default: m.authorUserId.flatMap { users[$0] } ?? "Kotae"
            }
        // A mail's own words first; what it quotes folds away beneath them.
        if let fold = m.details.email?.foldAt, fold > 0, fold < m.text.count {
            text = String(m.text.prefix(fold))
            quoted = String(m.text.dropFirst(fold))
        } else {
            text = m.text
            quoted = nil
        }
        triage = m.details.triage.map { r in
            [
                t["triage_" + r.intent.rawValue], r.sentiment == .neutral ? nil : t["sentiment_" + r.sentiment.rawValue],
                r.urgent ? t["triageUrgent"] : nil, r.needsReply ? nil : t["triageNoReply"],
            ].compactMap { $0 }.joined(separator: " · ")
        }
        awaitingApproval = m.deliveryState == .awaitingApproval
        returnedComment = m.deliveryState == .returned ? (m.details.approval?.comment ?? "") : nil
        approvalEdited = m.details.approval?.originalText != nil
        overridden = m.details.replyWarnings.map { kinds in
            let names = kinds.map { t["rc_kind_" + $0.rawValue] ?? $0.rawValue }.joined(separator: ", ")
            return (t["rc_overridden"] ?? "{kinds}").replacingOccurrences(of: "{kinds}", with: names)
        }
        mailWarning = m.details.email?.warnings.map { $0.joined(separator: "; ") }
        automatedMail = m.details.email?.automated.map { t["mailAutomated_" + $0] ?? $0 }
        htmlFrame = m.html == nil ? nil : "/conversations/\(conversation.id)/messages/\(m.id)/html"
        // A customer's message at the time they sent it (a mail may arrive hours later).
        let when = m.kind == .inbound ? (m.sentAt ?? m.createdAt) : m.createdAt
        at = WebFormat.iso(when)
        atText = WebFormat.clock(when, timeZone: timeZone)
        // A private message sent before the customer's last read receipt has been read.
        let read =
            m.kind == .outbound && m.deliveryState == .sent && (!conversation.isPublic || m.privateReply)
            && customerReadAt.map { (m.sentAt ?? m.createdAt) <= $0 } == true
        delivery = m.kind == .outbound ? (read ? "read" : m.deliveryState.rawValue) : nil
        deliveryText = m.kind == .outbound ? t[read ? "readByCustomer" : m.deliveryState.rawValue] : nil
        failed = m.deliveryState == .failed
        // The agent's sentence first; the platform's own words as the detail beneath it.
        error = m.deliveryError.map { DeliveryExplanation.headline($0, t: t) }
        errorDetail = m.deliveryState == .failed ? m.deliveryError : nil
        unanswered = m.isPublicItem && m.handledAt == nil
        postURL = m.details.postURL.flatMap { $0.hasPrefix("https://") ? $0 : nil }
        email = m.details.email.map {
            // A reply carries only what the agent added (its Cc); the rest is left out, not shown empty.
            EmailLines(
                subject: $0.subject.isEmpty ? nil : $0.subject, from: $0.from.isEmpty ? nil : $0.from,
                to: $0.to.isEmpty ? nil : $0.to.joined(separator: ", "), cc: $0.cc.isEmpty ? nil : $0.cc.joined(separator: ", "))
        }
        retryNote =
            m.deliveryState == .queued
            ? m.deliveryError.map {
                t[$0.hasPrefix(DeliveryJob.throttledPrefix) ? "deliveryThrottled" : "deliveryRetrying"]
            } ?? nil : nil
        files = m.attachments.map {
            File(href: "/api/v1/attachments/\($0.sha256)", name: $0.filename, isImage: $0.contentType.hasPrefix("image/"))
        }
        hasFiles = !files.isEmpty
        canModerate = m.kind == .inbound && ExternalIDKind.of(m.externalId)?.isModeratable == true
        liked = m.likedAt != nil
        hidden = m.hiddenReason != nil
        hiddenText = m.hiddenReason.map { $0 == "spam" ? t["hiddenSpam"] : t["hiddenOnPlatform"] } ?? nil
        switch m.authorChange {
        case "edited": change = t["changeEdited"]
        case "remove": change = t["changeRemove"]
        case "unsent": change = t["changeUnsent"]
        default: change = nil
        }
        editedText = m.authorChange == "edited" ? m.editedText : nil
        timeNote = m.timeNote == nil ? nil : t["timeReplaced"]
    }
}

/// A colleague the composer offers after "@".
struct Mentionable: Encodable {
    let id: Int64
    let name: String
}

enum WebFormat {
    /// JSON for a `data-*` attribute (Mustache escapes it for the attribute).
    static func json<T: Encodable>(_ value: T) -> String {
        (try? String(decoding: JSONEncoder().encode(value), as: UTF8.self)) ?? "null"
    }

    static func iso(_ d: Date) -> String { d.formatted(.iso8601) }

    /// A value for a URL query: everything but unreserved characters percent-encoded.
    static func queryValue(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? s
    }

    static let defaultTimeZone = TimeZone(identifier: "Asia/Tokyo")!

    /// 「3分」「2時間5分」「1日2時間」 in Japanese, "3m", "2h 5m", "1d 2h" in English: the
    /// two largest units. The page's script writes the same form from the same words.
    static func duration(_ seconds: TimeInterval, t: [String: String]) -> String {
        // Clamped before converting: a stored absurd value (from before limits existed) must not trap a page.
        let minutes = seconds.isFinite ? Int(min(max(0, seconds / 60), 1e9)) : 0
        let (d, h, m) = (minutes / (24 * 60), minutes / 60 % 24, minutes % 60)
        let key = d > 0 ? (h == 0 ? "dur_d" : "dur_dh") : minutes >= 60 ? (m == 0 ? "dur_h" : "dur_hm") : "dur_m"
        return (t[key] ?? "{d}d {h}h {m}m").replacingOccurrences(of: "{d}", with: String(d))
            .replacingOccurrences(of: "{h}", with: String(h)).replacingOccurrences(of: "{m}", with: String(m))
    }

    /// A due time as agents read it: 「12/2(水) 17:09」 / "Wed 12/2 17:09", in their time zone.
    static func dueClock(_ date: Date, timeZone: TimeZone, t: [String: String]) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.month, .day, .hour, .minute, .weekday], from: date)
        let days = (t["weekdays"] ?? "Sun,Mon,Tue,Wed,Thu,Fri,Sat").split(separator: ",").map(String.init)
        let weekday = days.indices.contains((c.weekday ?? 1) - 1) ? days[(c.weekday ?? 1) - 1] : ""
        let time = String(format: "%d/%d", c.month ?? 0, c.day ?? 0)
        let clock = String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
        return (t["dueClockFormat"] ?? "{weekday} {date} {time}")
            .replacingOccurrences(of: "{weekday}", with: weekday).replacingOccurrences(of: "{date}", with: time)
            .replacingOccurrences(of: "{time}", with: clock)
    }

    /// 「残り3時間」 before the due time, 「2時間超過」 after it.
    static func remaining(until due: Date, now: Date, t: [String: String]) -> String {
        let left = due.timeIntervalSince(now)
        let template = left >= 0 ? t["timeLeft"] ?? "{d} left" : t["timeOver"] ?? "{d} over"
        return template.replacingOccurrences(of: "{d}", with: duration(abs(left), t: t))
    }

    /// Where a conversation stands, in support teams' words (the key of `state_…` strings).
    static func stateKey(_ k: ConversationClock) -> String {
        switch k.status {
        case .resolved: "resolved"
        case .pending: "onHold"
        case .snoozed: "snoozed"
        case .open where k.needsReply: k.firstRespondedAt == nil ? "unanswered" : "inProgress"
        case .open: "awaitingCustomer"
        }
    }

    static func clock(_ d: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: d)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    static func slaText(_ s: SLAState, t: [String: String]) -> String {
        switch s {
        case .onTrack: t["onTrack"] ?? ""
        case .dueSoon: t["slaDueSoon"] ?? ""
        case .breached: t["slaBreached"] ?? ""
        case .paused: t["sla_paused"] ?? ""
        case .none: t["sla_none"] ?? ""
        }
    }

    /// An identity's kind as agents read it: a channel's name, or phone and e-mail in their language.
    static func identityLabel(_ kind: String, t: [String: String]) -> String {
        if let channel = ChannelKind(rawValue: kind) { return channelLabel(channel, t: t) }
        return t["identity_\(kind)"] ?? kind
    }

    /// A channel's name in the agent's language (brand names stay as they are).
    static func channelLabel(_ k: ChannelKind, t: [String: String]) -> String {
        switch k {
        case .api: "API"
        case .email: t["channel_email"] ?? "Email"
        case .chat: t["channel_chat"] ?? "Chat"
        case .facebook: "Facebook"
        case .instagram: "Instagram"
        case .x: "X"
        case .line: "LINE"
        case .form: t["channel_form"] ?? "Form"
        }
    }
}
