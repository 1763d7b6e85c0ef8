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
    let assignee: String
    let unread: Bool
    let isPublic: Bool
    let status: String

    init(_ c: Conversation, t: [String: String], users: [Int64: String], unread: Bool, now: Date) {
        id = c.id
        href = "/conversations/\(c.id)"
        name = c.contactName
        channel = c.channel.rawValue
        channelLabel = WebFormat.channelLabel(c.channel)
        snippet = c.snippet
        let since = c.clock.needsReply ? c.clock.waitingSince : nil
        waitingSince = since.map(WebFormat.iso) ?? ""
        waitingText = since.map { WebFormat.duration(now.timeIntervalSince($0)) } ?? ""
        let state = c.clock.slaState(at: now)
        sla = state.rawValue
        slaText = WebFormat.slaText(state, t: t)
        assignee = c.assigneeId.flatMap { users[$0] } ?? (t["nobody"] ?? "")
        self.unread = unread
        isPublic = c.isPublic
        status = t["status_\(c.clock.status.rawValue)"] ?? c.clock.status.rawValue
    }
}

/// One entry of a conversation's timeline.
struct TimelineEntry {
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

    /// `customerReadAt`: the customer's last read receipt in this conversation's private thread.
    init(_ m: Message, conversation: Conversation, t: [String: String], users: [Int64: String], timeZone: TimeZone,
         customerReadAt: Date? = nil) {
        id = m.id
        kind = m.kind.rawValue
        // In a public thread, a comment and a DM (the customer's answer to a private reply)
        // sit side by side: each says which it is, and so does each answer.
        let direct = ["fb:m:", "ig:m:", "fb:pb:", "ig:pb:", "x:dm:"].contains { m.externalId?.hasPrefix($0) == true }
        switch m.kind {
        case .inbound where m.externalId?.hasPrefix("ig:mention:") == true: kindLabel = t["publicMention"]
        case .inbound: kindLabel = conversation.isPublic && !direct ? t["publicComment"] : t["privateMessage"]
        case .note: kindLabel = t["internalNote"]
        case .outbound where conversation.isPublic: kindLabel = m.privateReply ? t["sentPrivate"] : t["sentPublic"]
        default: kindLabel = nil
        }
        author = m.kind == .inbound ? conversation.contactName : (m.authorUserId.flatMap { users[$0] } ?? "Kotae")
        text = m.text
        htmlFrame = m.html == nil ? nil : "/conversations/\(conversation.id)/messages/\(m.id)/html"
        // A customer's message at the time they sent it (a mail may arrive hours later).
        let when = m.kind == .inbound ? (m.sentAt ?? m.createdAt) : m.createdAt
        at = WebFormat.iso(when)
        atText = WebFormat.clock(when, timeZone: timeZone)
        // A private message sent before the customer's last read receipt has been read.
        let read = m.kind == .outbound && m.deliveryState == .sent && (!conversation.isPublic || m.privateReply)
            && customerReadAt.map { (m.sentAt ?? m.createdAt) <= $0 } == true
        delivery = m.kind == .outbound ? (read ? "read" : m.deliveryState.rawValue) : nil
        deliveryText = m.kind == .outbound ? t[read ? "readByCustomer" : m.deliveryState.rawValue] : nil
        failed = m.deliveryState == .failed
        error = m.deliveryError
        retryNote = m.deliveryState == .queued ? m.deliveryError.map {
            t[$0.hasPrefix(DeliveryJob.throttledPrefix) ? "deliveryThrottled" : "deliveryRetrying"]
        } ?? nil : nil
        files = m.attachments.map {
            File(href: "/api/v1/attachments/\($0.sha256)", name: $0.filename, isImage: $0.contentType.hasPrefix("image/"))
        }
        hasFiles = !files.isEmpty
        canModerate = m.kind == .inbound && (m.externalId?.hasPrefix("fb:c:") == true || m.externalId?.hasPrefix("ig:c:") == true)
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

    /// "3分", "2時間5分" style, short and language-neutral enough (h/m/d).
    static func duration(_ seconds: TimeInterval) -> String {
        // Clamped before converting: a stored absurd value (from before limits existed) must not trap a page.
        let minutes = seconds.isFinite ? Int(min(max(0, seconds / 60), 1e9)) : 0
        if minutes < 60 { return "\(minutes)m" }
        if minutes < 48 * 60 { return "\(minutes / 60)h \(minutes % 60)m" }
        return "\(minutes / (24 * 60))d \(minutes / 60 % 24)h"
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

    static func channelLabel(_ k: ChannelKind) -> String {
        switch k {
        case .api: "API"
        case .email: "Email"
        case .chat: "Chat"
        case .facebook: "Facebook"
        case .instagram: "Instagram"
        case .x: "X"
        case .line: "LINE"
        case .form: "Form"
        }
    }
}
