import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// Every agent's own pages: search, notifications, and their account (name, language,
/// time zone, password, notification preferences).
struct AgentPages {
    let web: WebController
    var app: AppServices { web.app }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("search", use: search)
        group.get("notifications", use: notifications)
        group.get("account", use: account)
    }

    private func signedIn(_ request: Request, _ context: AppRequestContext) -> (User, String, [String: String])? {
        guard let user = context.identity else { return nil }
        let lang = web.language(request, user)
        return (user, lang, WebStrings.table(lang))
    }

    /// Full text over messages and contacts, with filters on the messages.
    func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let (user, lang, t) = signedIn(request, context) else { return .redirect(to: "/login") }
        let p = try request.formQuery()
        let q = (p["q"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
        let timeZone = TimeZone(identifier: user.timeZone) ?? TimeZone(identifier: "Asia/Tokyo")!
        var filter = MessageSearchFilter()
        let kind = p["kind"].flatMap { MessageKind(rawValue: String($0)) }
        if let kind { filter.kinds = [kind] }
        filter.channel = p["channel"].flatMap { ChannelKind(rawValue: String($0)) }
        let status = p["status"].flatMap { ConversationStatus(rawValue: String($0)) }
        if let status { filter.statuses = [status] }
        let since = p["since"].map(String.init) ?? ""
        let until = p["until"].map(String.init) ?? ""
        filter.since = LocalDate(iso: since).map { $0.start(in: timeZone) }
        filter.until = LocalDate(iso: until).map { $0.adding(days: 1).start(in: timeZone) }
        let scope = p["in"].map(String.init) ?? "all"
        var messageRows: [[String: Any]] = []
        var contactRows: [[String: Any]] = []
        if !q.isEmpty && q.count <= 200 {
            if scope != "contacts" {
                messageRows = try await app.store.searchMessages(q, filter: filter).map { r in
                    [
                        "href": "/conversations/\(r.hit.conversationId)#m\(r.hit.messageId)", "contactName": r.contactName,
                        "channel": r.channel.rawValue, "channelLabel": WebFormat.channelLabel(r.channel, t: t),
                        "kind": t[r.hit.kind == .inbound ? "received" : (r.hit.kind == .note ? "internalNote" : "reply")] ?? "",
                        "status": t["status_\(r.status.rawValue)"] ?? r.status.rawValue,
                        "text": Self.excerpt(r.hit.text, around: q), "at": WebFormat.clock(r.hit.createdAt, timeZone: timeZone),
                    ]
                }
            }
            if scope != "messages" {
                for c in try await app.store.contacts.list(query: q, limit: 20, afterId: nil) {
                    // Each contact with their three latest conversations: where an agent goes next.
                    let latest = try await app.store.contacts.conversations(contactId: c.id).sorted { $0.lastMessageAt > $1.lastMessageAt }.prefix(3)
                    contactRows.append([
                        "name": c.name, "email": c.email ?? "", "phone": c.phone ?? "",
                        "identities": c.identities.map { "\($0.channel): \($0.externalId)" }.joined(separator: ", "),
                        "conversations": latest.map {
                            [
                                "href": "/conversations/\($0.id)", "snippet": $0.snippet,
                                "status": t["status_\($0.status.rawValue)"] ?? $0.status.rawValue,
                            ]
                        },
                    ])
                }
            }
        }
        let option = { (value: String, label: String, current: String) -> [String: Any] in
            ["value": value, "label": label, "selected": value == current]
        }
        let frame = try await web.frame(lang: lang, user: user, context: context, title: t["search"] ?? "Search", section: "search")
        return web.templates.page(
            "search",
            [
                "frame": frame, "q": q, "searched": !q.isEmpty, "tooLong": q.count > 200,
                "messages": messageRows, "contacts": contactRows,
                "noMessages": messageRows.isEmpty, "noContacts": contactRows.isEmpty,
                "showMessages": scope != "contacts", "showContacts": scope != "messages",
                "scopes": [
                    option("all", t["searchAll"] ?? "", scope), option("messages", t["searchMessages"] ?? "", scope),
                    option("contacts", t["searchContacts"] ?? "", scope),
                ],
                "kinds": [
                    option("", t["anyKind"] ?? "", kind?.rawValue ?? ""), option("inbound", t["received"] ?? "", kind?.rawValue ?? ""),
                    option("outbound", t["reply"] ?? "", kind?.rawValue ?? ""), option("note", t["internalNote"] ?? "", kind?.rawValue ?? ""),
                ],
                "channels": [option("", t["anyChannel"] ?? "", filter.channel?.rawValue ?? "")]
                    + ChannelKind.allCases.map { option($0.rawValue, WebFormat.channelLabel($0, t: t), filter.channel?.rawValue ?? "") },
                "statuses": [option("", t["anyStatus"] ?? "", status?.rawValue ?? "")]
                    + ConversationStatus.allCases.map { option($0.rawValue, t["status_\($0.rawValue)"] ?? $0.rawValue, status?.rawValue ?? "") },
                "since": since, "until": until,
            ] as [String: Any])
    }

    /// About 120 characters of `text` around the first match, so the hit is visible.
    static func excerpt(_ text: String, around q: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        guard flat.count > 120, let r = flat.range(of: q, options: [.caseInsensitive, .widthInsensitive]) else { return String(flat.prefix(120)) }
        let start = flat.index(r.lowerBound, offsetBy: -40, limitedBy: flat.startIndex) ?? flat.startIndex
        let end = flat.index(start, offsetBy: 120, limitedBy: flat.endIndex) ?? flat.endIndex
        return (start == flat.startIndex ? "" : "…") + flat[start..<end] + (end == flat.endIndex ? "" : "…")
    }

    func notifications(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let (user, lang, t) = signedIn(request, context) else { return .redirect(to: "/login") }
        let timeZone = TimeZone(identifier: user.timeZone) ?? TimeZone(identifier: "Asia/Tokyo")!
        let names = Dictionary(uniqueKeysWithValues: try await app.store.accounts.users().map { ($0.id, $0.name) })
        let rows = try await app.store.notifications(userId: user.id).map { n, contactName, snippet -> [String: Any] in
            let who = n.actorUserId.flatMap { names[$0] } ?? "Kotae"
            let key =
                switch n.kind {
                case .mention: "mentionedBy"
                case .assigned: "assignedBy"
                case .sendFailed: "sendFailedNotice"
                case .slaWarning: "slaWarningNotice"
                case .slaBreach: "slaBreachNotice"
                case .approvalRequested: "approvalRequestedNotice"
                case .approvalDecided: "approvalDecidedNotice"
                }
            let what = (t[key] ?? "").replacingOccurrences(of: "{name}", with: who)
            return [
                "href": "/conversations/\(n.conversationId)", "what": what, "contactName": contactName,
                "snippet": snippet, "unread": n.readAt == nil,
                "at": WebFormat.clock(n.createdAt, timeZone: timeZone),
            ]
        }
        let frame = try await web.frame(lang: lang, user: user, context: context, title: t["notifications"] ?? "", section: "notifications")
        return web.templates.page("notifications", ["frame": frame, "notifications": rows, "empty": rows.isEmpty] as [String: Any])
    }

    func account(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let (user, lang, t) = signedIn(request, context) else { return .redirect(to: "/login") }
        let frame = try await web.frame(lang: lang, user: user, context: context, title: t["account"] ?? "", section: "account")
        return web.templates.page(
            "account",
            [
                "frame": frame, "me": ["id": user.id, "name": user.name, "email": user.email] as [String: Any],
                "languages": [
                    ["value": "ja", "label": "日本語", "selected": user.locale == "ja"],
                    ["value": "en", "label": "English", "selected": user.locale == "en"],
                ],
                "timeZones": SettingsPages.timeZoneChoices(selected: user.timeZone),
                "tokens": try await tokenRows(user: user, t: t),
            ] as [String: Any])
    }

    /// My API tokens for the account page: live ones can be revoked, ended ones say why.
    func tokenRows(user: User, t: [String: String]) async throws -> [[String: Any]] {
        let zone = TimeZone(identifier: user.timeZone) ?? .current
        let now = app.clock.now
        return try await app.store.accounts.apiTokens(userId: user.id).map { token in
            let state = token.revokedAt != nil ? t["tokenRevoked"] ?? "" : t["tokenExpired"] ?? ""
            return [
                "id": token.id, "name": token.name, "created": WebFormat.clock(token.createdAt, timeZone: zone),
                "lastUsed": token.lastUsedAt.map { WebFormat.clock($0, timeZone: zone) } ?? "—",
                "expires": token.expiresAt.map { WebFormat.clock($0, timeZone: zone) } ?? (t["tokenNever"] ?? ""),
                "live": token.isLive(at: now), "state": state,
            ] as [String: Any]
        }
    }
}
