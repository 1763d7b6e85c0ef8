import Foundation
import Hummingbird
import HTTPTypes
import KotaeChannels
import KotaeCore
import KotaeStore

/// The agent UI's pages. Pages are rendered on the server; actions go through the REST API
/// from small scripts (with the session's CSRF token), and live changes come over
/// `/api/v1/stream`.
struct WebController {
    let app: AppServices
    let templates: WebTemplates

    func addRoutes(to router: Router<AppRequestContext>) {
        let web = router.group().add(middleware: AuthMiddleware(store: app.store, maxBodyBytes: app.config.maxBodyBytes))
        web.get("login", use: login)
        web.get("", use: inbox)
        web.get("conversations/:id", use: conversation)
        web.get("conversations/:id/messages/:mid/html", use: messageHTML)
        SettingsPages(web: self).addRoutes(to: web)
        AgentPages(web: self).addRoutes(to: web)
        ReportsPage(web: self).addRoutes(to: web)
    }

    /// The inbox views, in sidebar order: the query each one stands for.
    static func views(user: User) -> [(key: String, query: ConversationQuery)] {
        var mine = ConversationQuery(); mine.assignee = .user(user.id)
        var unassigned = ConversationQuery(); unassigned.assignee = .unassigned
        var dueSoon = ConversationQuery(); dueSoon.sla = .dueSoon
        var breached = ConversationQuery(); breached.sla = .breached
        // Whoever is waiting, whatever the status: the same set `/stats/unanswered` counts.
        var unanswered = ConversationQuery(); unanswered.unanswered = true; unanswered.statuses = ConversationStatus.allCases
        var publicComments = unanswered; publicComments.publicOnly = true
        var failed = ConversationQuery(); failed.sendFailed = true; failed.statuses = ConversationStatus.allCases
        var snoozed = ConversationQuery(); snoozed.statuses = [.snoozed]
        var resolved = ConversationQuery(); resolved.statuses = [.resolved]; resolved.sort = .newest
        var approval = ConversationQuery(); approval.awaitingApproval = true; approval.statuses = ConversationStatus.allCases
        return [
            ("mine", mine), ("unassigned", unassigned), ("allOpen", ConversationQuery()), ("dueSoon", dueSoon),
            ("breached", breached), ("unanswered", unanswered), ("unansweredPublic", publicComments), ("sendFailed", failed),
            ("awaitingApproval", approval),
            ("snoozed", snoozed), ("resolved", resolved),
        ]
    }

    /// The frame of a signed-in page, with the header's notification badge.
    func frame(lang: String, user: User, context: AppRequestContext, title: String, section: String = "inbox") async throws -> PageFrame {
        PageFrame(
            lang: lang, user: user, csrf: context.sessionCSRF, title: title, section: section,
            unreadNotifications: try await app.store.unreadNotificationCount(userId: user.id))
    }

    func language(_ request: Request, _ user: User?) -> String {
        WebStrings.language(user: user?.locale, acceptLanguage: request.headers[.acceptLanguage])
    }

    func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.identity != nil { return .redirect(to: "/") }
        let frame = PageFrame(lang: language(request, nil), user: nil, csrf: nil, title: "Kotae")
        return templates.page("login", ["frame": frame])
    }

    func inbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = context.identity else { return .redirect(to: "/login") }
        let lang = language(request, user)
        let t = WebStrings.table(lang)
        let p = try request.formQuery()
        let viewKey = p["view"].map(String.init) ?? "allOpen"
        let views = Self.views(user: user)
        var query = views.first { $0.key == viewKey }?.query ?? ConversationQuery()
        if let channel = p["channel"].flatMap({ ChannelKind(rawValue: String($0)) }) { query.channel = channel }
        let label = p["label"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        if let label { query.label = label }
        let search = p["q"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        if !search.isEmpty { query.text = search }
        // The lead's own order and priority filter, on top of the view (unknown values: the default).
        if let sort = p["sort"].flatMap({ ConversationQuery.Sort(rawValue: String($0)) }) { query.sort = sort }
        let priority = p["priority"].flatMap { Priority(rawValue: String($0)) }
        if let priority { query.priorities = [priority] }
        // What triage read in the customer's latest message.
        let intent = p["intent"].flatMap { TriageIntent(rawValue: String($0)) }
        if let intent { query.intents = [intent] }
        let urgentOnly = p["urgent"] == "true"
        query.urgentOnly = urgentOnly
        let now = app.clock.now
        let listQuery = query
        async let pageResult = app.store.conversations.listConversations(listQuery, now: now)
        async let userList = app.store.accounts.users()
        async let inboxList = app.store.inboxes.all()
        async let labelList = app.store.labels()
        let channels = Set(try await inboxList.map(\.channel)).sorted { $0.rawValue < $1.rawValue }
        let channelQueries = channels.map { kind -> ConversationQuery in
            var q = ConversationQuery()
            q.channel = kind
            return q
        }
        let labels = try await labelList
        let labelQueries = labels.map { l -> ConversationQuery in
            var q = ConversationQuery()
            q.label = l.name
            return q
        }
        // Every sidebar count at once: they are independent reads, spread over the readers.
        let counts = try await countAll(views.map(\.query) + channelQueries + labelQueries, now: now)
        let filtered = query.channel != nil || label != nil
        let links = views.enumerated().map { i, v in
            ViewLink(
                key: v.key, label: t[v.key] ?? v.key, href: "/?view=\(v.key)",
                count: Self.countText(counts[i]), active: v.key == viewKey && !filtered)
        }
        let channelLinks = channels.enumerated().map { i, kind in
            ViewLink(
                key: kind.rawValue, label: WebFormat.channelLabel(kind, t: t), href: "/?channel=\(kind.rawValue)",
                count: Self.countText(counts[views.count + i]), active: query.channel == kind)
        }
        let labelLinks = labels.enumerated().map { i, l in
            ViewLink(
                key: l.color, label: l.name, href: "/?label=" + WebFormat.queryValue(l.name),
                count: Self.countText(counts[views.count + channels.count + i]), active: label == l.name)
        }
        let page = try await pageResult
        let names = Dictionary(uniqueKeysWithValues: try await userList.map { ($0.id, $0.name) })
        let unread = try await app.store.conversations.unreadIds(page.conversations, userId: user.id)
        let timeZone = TimeZone(identifier: user.timeZone) ?? WebFormat.defaultTimeZone
        let rows = page.conversations.map { ConversationRow($0, t: t, users: names, unread: unread.contains($0.id), now: now, timeZone: timeZone) }
        let frame = try await self.frame(lang: lang, user: user, context: context, title: t["inbox"] ?? "Inbox")
        var model: [String: Any] = [
            "frame": frame, "views": links, "channels": channelLinks, "labels": labelLinks, "hasLabels": !labelLinks.isEmpty,
            "rows": rows, "empty": rows.isEmpty, "viewKey": viewKey, "search": search,
        ]
        let sortLabels: [(ConversationQuery.Sort, String)] = [
            (.slaDue, "sortDue"), (.longestWaiting, "sortWaiting"), (.priority, "sortPriority"), (.newest, "sortNewest"),
        ]
        model["sorts"] = sortLabels.map { ["value": $0.0.rawValue, "label": t[$0.1] ?? $0.1, "selected": $0.0 == query.sort] as [String: Any] }
        model["intents"] =
            [["value": "", "label": t["anyIntent"] ?? "", "selected": intent == nil] as [String: Any]]
            + TriageIntent.allCases.map { ["value": $0.rawValue, "label": t["triage_" + $0.rawValue] ?? $0.rawValue, "selected": $0 == intent] }
        model["urgentOnly"] = urgentOnly
        model["priorities"] =
            [["value": "", "label": t["anyPriority"] ?? "", "selected": priority == nil] as [String: Any]]
            + Priority.allCases.reversed().map {
                ["value": $0.rawValue, "label": t["priority_\($0.rawValue)"] ?? $0.rawValue, "selected": $0 == priority] as [String: Any]
            }
        // Present only when set: the search form carries them along.
        if let channel = query.channel { model["channel"] = channel.rawValue }
        if let label { model["label"] = label }
        return templates.page("inbox", model)
    }

    /// The counts in a few combined statements, run side by side on the readers.
    private func countAll(_ queries: [ConversationQuery], now: Date) async throws -> [Int] {
        let groups = 3
        let size = (queries.count + groups - 1) / groups
        let chunks = stride(from: 0, to: queries.count, by: max(size, 1)).map { Array(queries[$0..<min($0 + size, queries.count)]) }
        return try await withThrowingTaskGroup(of: (Int, [Int]).self) { group in
            for (i, chunk) in chunks.enumerated() {
                group.addTask { (i, try await app.store.conversations.countConversations(chunk, now: now)) }
            }
            var counts = Array(repeating: [Int](), count: chunks.count)
            for try await (i, n) in group { counts[i] = n }
            return counts.flatMap { $0 }
        }
    }

    static func countText(_ n: Int) -> String {
        n > Conversations.viewCountCap ? "\(Conversations.viewCountCap)+" : "\(n)"
    }

    func conversation(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = context.identity else { return .redirect(to: "/login") }
        let lang = language(request, user)
        let t = WebStrings.table(lang)
        let id = try context.parameters.require("id", as: Int64.self)
        guard let c = try await app.store.conversations.conversation(id: id) else { throw APIError.notFound("conversation") }
        async let contactResult = app.store.contacts.contact(id: c.contactId)
        async let messageList = app.store.conversations.messages(conversationId: id)
        async let userList = app.store.accounts.users()
        async let earlierList = app.store.contacts.conversations(contactId: c.contactId)
        async let teamList = app.store.teams.all()
        async let labelList = app.store.labels()
        async let customerRead = app.store.channelState.customerReadAt(conversationId: id)
        async let mergeList = app.store.contacts.merges(targetId: c.contactId)
        async let eventList = app.store.events(conversationId: id)
        async let inboxRecord = app.store.inboxes.find(id: c.inboxId)
        // A widget visitor: the pages they were on and the address they left.
        async let chatVisitor = ChatVisitor.visitorKey(ofThread: c.threadKey).asyncFlatMap {
            try await app.store.chatVisitors.visitor(inbox: c.inboxId, key: $0)
        }
        let users = try await userList
        let names = Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0.name) })
        let timeZone = TimeZone(identifier: user.timeZone) ?? TimeZone(identifier: "Asia/Tokyo")!
        let now = app.clock.now
        let readAt = try await customerRead
        let messages = try await messageList.filter { $0.kind != .system }
        let timeline = messages.map {
            TimelineEntry($0, conversation: c, t: t, users: names, timeZone: timeZone, customerReadAt: readAt)
        }
        // The conversation's activity among its messages, in time order, quietly.
        let teamNames = Dictionary(uniqueKeysWithValues: try await teamList.map { ($0.id, $0.name) })
        let activity = try await eventList.compactMap {
            ActivityEntry($0, t: t, users: names, teams: teamNames, timeZone: timeZone)
        }
        var entries: [(Date, Int, Any)] = zip(messages, timeline).map { ($0.createdAt, 0, $1 as Any) }
        entries += activity.map { ($0.date, 1, $0 as Any) }
        let merged = entries.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element.2)
        let earlier = try await earlierList.filter { $0.id != c.id }.map {
            ConversationRow($0, t: t, users: names, unread: false, now: now, timeZone: timeZone)
        }
        let contact = try await contactResult
        try await app.store.conversations.markRead(conversationId: id, userId: user.id, now: now)
        try await app.store.markNotificationsRead(userId: user.id, conversationId: id, now: now)
        let row = ConversationRow(c, t: t, users: names, unread: false, now: now, timeZone: timeZone)
        let reasons = NoReplyReason.allCases.map { ["value": $0.rawValue, "label": t["reason_\($0.rawValue)"] ?? $0.rawValue] }
        let controls = ConversationControls(
            c, users: users, teams: try await teamList, catalog: try await labelList,
            t: t, timeZone: timeZone, now: now)
        let frame = try await self.frame(lang: lang, user: user, context: context, title: c.contactName)
        var visitorModel: Any = false
        if let v = try await chatVisitor {
            visitorModel = [
                "email": v.email ?? "",
                "pages": v.pages.reversed().map {
                    ["url": $0.url, "title": $0.title.isEmpty ? $0.url : $0.title, "at": WebFormat.clock($0.at, timeZone: timeZone)]
                },
            ]
        }
        var model: [String: Any] = [
            "frame": frame, "c": row, "timeline": merged, "earlier": earlier, "reasons": reasons, "controls": controls,
            "isResolved": c.clock.status == .resolved, "lastMessageId": timeline.last?.id ?? 0,
            "needsReply": c.clock.needsReply, "sending": c.clock.replySendingSince != nil,
            "contactId": c.contactId, "contactName": contact?.name ?? c.contactName,
            "identities": contact?.identities.map {
                ["channel": $0.channel, "label": WebFormat.identityLabel($0.channel, t: t), "id": $0.externalId]
            } ?? [],
            "myId": user.id, "isPublic": c.isPublic,
            "visitor": visitorModel,
            // Merges into this contact, Kotae's own first in the agent's mind: each can be undone.
            "merges": try await mergeList.map { m -> [String: Any] in
                let who = m.identities.map { "\(WebFormat.identityLabel($0.channel, t: t)) \($0.externalId)" }.joined(separator: ", ")
                let template = m.reason == nil ? t["mergedByAgent"] : t["mergedAutomatically"]
                return ["id": m.id, "text": (template ?? "").replacingOccurrences(of: "{who}", with: who)]
            },
            "mentionableJSON": WebFormat.json(users.filter { !$0.disabled && $0.id != user.id }.map { Mentionable(id: $0.id, name: $0.name) }),
        ]
        // What the channel says of a reply here, before the agent writes one: a window that has
        // closed (Messenger's 24 hours, 7 days with the Human Agent permission), a customer who
        // blocked the shop, public only, and what files it carries.
        let inbox = try await inboxRecord
        let route = try await app.channels.replyRoute(for: c, privately: false)
        if route.window == .closed { model["windowClosed"] = true }
        if let since = route.blockedSince {
            model["blockedNote"] = (t["lineBlocked"] ?? "") + " (" + WebFormat.clock(since, timeZone: timeZone) + ")"
        }
        if let bounced = route.undeliverable {
            model["undeliverableNote"] =
                (t["mailUndeliverable"] ?? "").replacingOccurrences(of: "{address}", with: bounced.address)
                + " (" + WebFormat.clock(bounced.since, timeZone: timeZone) + ")"
            model["undeliverableDetail"] = bounced.reason
        }
        if route.publicOnly { model["publicOnly"] = true }
        if c.channel == .email { model["emailReply"] = true }
        if let key = route.files.filesHintKey, let hint = t[key] { model["filesHint"] = hint }
        // Which comment a reply answers: each unanswered one needs its own (latest unanswered first).
        if c.isPublic {
            let items = try await app.store.conversations.publicItems(conversationId: c.id)
            let chosen = items.first { $0.handledAt == nil } ?? items.first
            model["hasCommentChoice"] = items.count > 1
            model["commentChoices"] = items.map { m -> [String: Any] in
                let state = m.handledAt == nil ? (t["commentUnanswered"] ?? "") : (t["commentAnswered"] ?? "")
                let snippet = m.text.count > 40 ? String(m.text.prefix(39)) + "…" : m.text
                return [
                    "value": m.id, "selected": m.id == chosen?.id,
                    "label": "\(snippet)（\(WebFormat.clock(m.sentAt ?? m.createdAt, timeZone: timeZone))・\(state)）",
                ]
            }
        }
        // Said before the agent types: this conversation cannot be answered here, and why.
        if let inbox, let why = ReplyAvailability.blocker(c, inbox: inbox, t: t) {
            model["cannotReply"] = why
        }
        // Absent, not nil: Mustache renders a nil optional as the text "nil".
        if let picture = contact?.avatarSHA256 { model["avatar"] = "/api/v1/attachments/\(picture)" }
        if let email = contact?.email { model["contactEmail"] = email }
        if let phone = contact?.phone { model["contactPhone"] = phone }
        return templates.page("conversation", model)
    }

    /// A customer's HTML e-mail, sanitized once more on the way out, for a sandboxed frame:
    /// its own policy forbids every script and, unless the agent asked, every remote image.
    func messageHTML(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard context.identity != nil else { throw APIError.unauthorized() }
        let id = try context.parameters.require("id", as: Int64.self)
        let mid = try context.parameters.require("mid", as: Int64.self)
        guard let m = try await app.store.conversations.message(id: mid), m.conversationId == id, let html = m.html else {
            throw APIError.notFound("message")
        }
        let remote = (try request.formQuery())["images"] == "1"
        let csp = "default-src 'none'; img-src \(remote ? "https: data:" : "data:"); style-src 'unsafe-inline'; sandbox; frame-ancestors 'self'"
        let body = MailFrameImages.resolve(
            HTMLSanitizer.sanitize(html), attachments: m.attachments, load: { app.attachments.load($0) }, remote: remote)
        let page = "<!doctype html><meta charset=\"utf-8\"><base target=\"_blank\">" + body
        return WebTemplates.html(page, csp: csp, frameOptions: "SAMEORIGIN")
    }
}
