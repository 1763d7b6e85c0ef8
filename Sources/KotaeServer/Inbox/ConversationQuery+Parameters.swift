import Hummingbird
import KotaeCore
import KotaeStore

extension ConversationQuery {
    /// The inbox filters from URL parameters, shared by the API list and the inbox page.
    /// Unknown values are errors that name the parameter.
    init(parameters p: Parameters, user: User) throws {
        self.init()
        if let s = p["status"].map(String.init) {
            if s == "all" {
                self.statuses = ConversationStatus.allCases
            } else {
                self.statuses = try s.split(separator: ",").map {
                    guard let v = ConversationStatus(rawValue: String($0)) else { throw APIError.invalid("status", "unknown status \($0)") }
                    return v
                }
            }
        }
        if let v = p["inbox"] { self.inboxId = try intParam("inbox", String(v)) }
        if let v = p["channel"] {
            guard let k = ChannelKind(rawValue: String(v)) else { throw APIError.invalid("channel", "unknown channel \(v)") }
            self.channel = k
        }
        if let v = p["assignee"] {
            switch v {
            case "me": self.assignee = .user(user.id)
            case "unassigned": self.assignee = .unassigned
            default: self.assignee = .user(try intParam("assignee", String(v)))
            }
        }
        if let v = p["team"] { self.teamId = try intParam("team", String(v)) }
        if let v = p["label"] { self.label = String(v) }
        if let v = p["sla"] {
            guard let f = ConversationQuery.SLAFilter(rawValue: String(v)) else { throw APIError.invalid("sla", "sla is due_soon or breached") }
            self.sla = f
        }
        if let v = p["unanswered"] { self.unanswered = v == "true" || v == "1" }
        if let v = p["failed"] { self.sendFailed = v == "true" || v == "1" }
        if let v = p["priority"] {
            self.priorities = try v.split(separator: ",").map {
                guard let p = Priority(rawValue: String($0)) else {
                    throw APIError.invalid("priority", "priority is one or more of none, low, medium, high, urgent (comma separated)")
                }
                return p
            }
        }
        // A waiting customer is waiting whatever the status (snoozed, closed while the answer
        // is still sending): without a status, these views hold every one, as the counts do.
        if p["status"] == nil && (unanswered || sendFailed) { self.statuses = ConversationStatus.allCases }
        if let v = p["public"] { self.publicOnly = v == "true" || v == "1" }
        if let v = p["intent"] {
            self.intents = try v.split(separator: ",").map {
                guard let i = TriageIntent(rawValue: String($0)) else {
                    throw APIError.invalid(
                        "intent", "intent is one or more of \(TriageIntent.allCases.map(\.rawValue).joined(separator: ", ")) (comma separated)")
                }
                return i
            }
        }
        if let v = p["urgent"] { self.urgentOnly = v == "true" || v == "1" }
        if let v = p["q"] { self.text = String(v) }
        if let v = p["sort"] {
            guard let s = ConversationQuery.Sort(rawValue: String(v)) else {
                throw APIError.invalid("sort", "sort is sla, newest, waiting or priority")
            }
            self.sort = s
        }
        if let v = p["limit"] {
            let n = try intParam("limit", String(v))
            guard (1...200).contains(n) else { throw APIError.invalid("limit", "limit is 1…200") }
            self.limit = Int(n)
        }
        if let v = p["cursor"] {
            guard let c = ConversationQuery.Cursor(token: String(v)) else {
                throw APIError.invalid("cursor", "the cursor is not one this server gave")
            }
            self.cursor = c
        }
    }
}
