import Foundation
import KotaeCore
import KotaeStore

/// The conversation page's controls: assignee, team, priority, labels and snooze choices,
/// each with the current value selected.
struct ConversationControls {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }
    struct LabelChip {
        let name: String
        let color: String
    }

    let assignees: [Option]
    let teams: [Option]
    let priorities: [Option]
    let labels: [LabelChip]
    let labelChoices: [Option]
    let snoozeChoices: [Option]
    let snoozedUntil: String?

    init(_ c: Conversation, users: [User], teams: [Team], catalog: [Label], t: [String: String], timeZone: TimeZone, now: Date) {
        assignees =
            [Option(value: "", label: t["nobody"] ?? "", selected: c.assigneeId == nil)]
            + users.filter { !$0.disabled || $0.id == c.assigneeId }.map {
                Option(value: String($0.id), label: $0.name, selected: $0.id == c.assigneeId)
            }
        self.teams =
            [Option(value: "", label: t["noTeam"] ?? "", selected: c.teamId == nil)]
            + teams.map { Option(value: String($0.id), label: $0.name, selected: $0.id == c.teamId) }
        priorities = Priority.allCases.map {
            Option(value: $0.rawValue, label: t["priority_\($0.rawValue)"] ?? $0.rawValue, selected: $0 == c.priority)
        }
        let colors = Dictionary(catalog.map { ($0.name, $0.color) }, uniquingKeysWith: { a, _ in a })
        labels = c.labels.map { LabelChip(name: $0, color: colors[$0] ?? "#5f6368") }
        labelChoices = catalog.filter { !c.labels.contains($0.name) }.map { Option(value: $0.name, label: $0.name, selected: false) }
        snoozeChoices = Self.snoozePresets(now: now, timeZone: timeZone).map { key, date in
            Option(value: WebFormat.iso(date), label: "\(t[key] ?? key) (\(WebFormat.clock(date, timeZone: timeZone)))", selected: false)
        }
        snoozedUntil = c.clock.status == .snoozed ? c.clock.snoozedUntil.map { WebFormat.clock($0, timeZone: timeZone) } : nil
    }

    /// In the agent's own time zone: an hour from now, three hours, tomorrow 9:00, next Monday 9:00.
    static func snoozePresets(now: Date, timeZone: TimeZone) -> [(String, Date)] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let nineToday = calendar.date(bySettingHour: 9, minute: 0, second: 0, of: now) ?? now
        let tomorrow = calendar.date(byAdding: .day, value: 1, to: nineToday) ?? now
        let monday = calendar.nextDate(after: now, matching: DateComponents(hour: 9, minute: 0, weekday: 2), matchingPolicy: .nextTime) ?? tomorrow
        return [
            ("snooze1h", now.addingTimeInterval(3600)), ("snooze3h", now.addingTimeInterval(3 * 3600)),
            ("snoozeTomorrow", tomorrow), ("snoozeMonday", monday),
        ]
    }
}
