import Foundation

/// What reports count. Durations carry a value per fact (calendar seconds and business
/// seconds); counts carry none. CSAT carries the rating.
public enum ReportMetric: String, Codable, Sendable, CaseIterable {
    /// A cycle's first public human answer (from the conversation's start, a reopening or the
    /// bot's hand-off, or from when the customer began to wait if later). Bot, automated and
    /// note messages never end it.
    case firstResponse = "first_response"
    /// Each time a waiting customer got an answer: how long they had waited.
    case replyWait = "reply_wait"
    /// The first time a conversation was resolved: from its start. Written once.
    case firstResolution = "first_resolution"
    /// Full resolution: from the start to the latest resolution. A reopening takes it back
    /// (with its one-touch mark) until the conversation is resolved again.
    case resolution
    /// A resolution after at most one answer from a person (Zendesk's one-touch).
    case oneTouch = "one_touch"
    case reopen
    /// The FAQ bot handed the conversation to a person: from the conversation's start.
    case botHandOff = "bot_handoff"
    /// A first response or a reply wait that came after its SLA due time.
    case firstResponseBreached = "first_response_breached"
    case replyWaitBreached = "reply_wait_breached"
    /// A satisfaction rating (1–5) and a survey sent.
    case csat
    case csatSent = "csat_sent"

    /// Whether a fact of this metric has a value reports take medians of.
    public var hasValue: Bool {
        switch self {
        case .firstResponse, .replyWait, .firstResolution, .resolution, .botHandOff, .csat: true
        default: false
        }
    }
}

/// The dimensions a daily rollup is kept by. The workspace as a whole is the sum of its inboxes.
public enum ReportDimension: String, Codable, Sendable, CaseIterable {
    case inbox, agent, team, label
}

/// One thing reports count, at the moment it happened, with what it is counted under.
public struct ReportFact: Sendable, Equatable {
    public var metric: ReportMetric
    public var at: Date
    /// Calendar seconds, and seconds within the inbox's business hours (the same when it has none).
    public var seconds: Double?
    public var businessSeconds: Double?

    public init(_ metric: ReportMetric, at: Date, seconds: Double? = nil, businessSeconds: Double? = nil) {
        self.metric = metric
        self.at = at
        self.seconds = seconds
        self.businessSeconds = businessSeconds
    }

    /// A duration from `start` to `end`, in calendar time and in the policy's business hours.
    public static func duration(_ metric: ReportMetric, from start: Date, to end: Date, hours: BusinessHours?) -> ReportFact {
        let calendar = max(0, end.timeIntervalSince(start))
        return ReportFact(metric, at: end, seconds: calendar, businessSeconds: hours.map { $0.duration(from: start, to: end) } ?? calendar)
    }
}
