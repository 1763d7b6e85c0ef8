import Foundation
import KotaeCore

/// One report, as the API returns it and the page and CSV show it. Durations are whole seconds;
/// shares are 0…1. A figure that cannot be known (nothing counted, or a filter traffic does not
/// keep) is null, never zero.
struct ReportData: Encodable, Sendable {
    struct Figure: Encodable, Sendable {
        let key: String
        /// `seconds`, `count`, `share` or `rating`.
        let unit: String
        let current: Double?
        let previous: Double?
    }

    struct SeriesRow: Encodable, Sendable {
        let start: String
        let conversations: Int?
        let incoming: Int?
        let firstResponses: Int
        let firstResponseMedian: Int?
        let firstResponseP90: Int?
        let previousFirstResponseMedian: Int?
        let resolutions: Int
        let slaMet: Int
        let slaBreached: Int
    }

    /// Per channel, first responses in the customers' time (calendar): shares within each of the
    /// survey's limits, within the channel's usual expectation, and the share of customers whose
    /// expectation was met.
    struct CoverageRow: Encodable, Sendable {
        let channel: String
        let firstResponses: Int
        let within: [Double]
        let defaultSeconds: Int
        let withinDefault: Double
        let expectedByDefault: Double
        let met: Double
        /// Counts per bin: ≤ 5 min, ≤ 15 min, ≤ 30 min, ≤ 1 h, ≤ 1 day, ≤ 3 days, longer.
        let histogram: [Int]
    }

    struct BacklogRow: Encodable, Sendable {
        let end: String
        let unresolved: Int
        let unanswered: Int
    }

    struct PersonRow: Encodable, Sendable {
        let id: ID
        let name: String
        let firstResponses: Int
        let firstResponseMedian: Int?
        let firstResponseP90: Int?
        let replyWaitMedian: Int?
        let resolutions: Int
        let resolutionMedian: Int?
        let oneTouch: Int
        let csatAnswered: Int
        let csatScore: Double?
    }

    struct CSAT: Encodable, Sendable {
        /// Ratings 1 to 5.
        let distribution: [Int]
        let sent: Int
        let answered: Int
        /// The share of ratings of 4 or 5.
        let score: Double?
        let responseRate: Double?
    }

    let from: String
    let to: String
    let previousFrom: String
    let previousTo: String
    let grouping: String
    let businessHours: Bool
    let timeZone: String
    /// `rollups`, or `events` when the filters need the fact rows.
    let source: String
    /// Whether traffic figures (messages, new conversations, backlog, heatmap) are absent because
    /// an agent, team or label filter is set.
    let trafficFiltered: Bool
    /// Whether the per-agent or per-label table is left out: two of agent, team and label
    /// together with it would need every fact row of the year.
    let tablesOmitted: Bool
    let summary: [Figure]
    let series: [SeriesRow]
    let survey: [Double]
    let coverage: [CoverageRow]
    let backlog: [BacklogRow]
    /// Incoming messages by ISO weekday (Monday first) and hour, in the shop's time zone.
    let heatmap: [[Int]]
    let agents: [PersonRow]
    let labels: [PersonRow]
    let csat: CSAT
}
