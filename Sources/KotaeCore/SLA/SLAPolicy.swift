import Foundation

/// Response-time targets of one inbox. Durations are business seconds when
/// `businessHours` is set, wall-clock seconds otherwise.
public struct SLAPolicy: Codable, Sendable, Equatable {
    public var firstResponse: TimeInterval
    public var nextResponse: TimeInterval
    public var resolution: TimeInterval?
    public var businessHours: BusinessHours?
    /// A target turns "due soon" when this fraction of it is left.
    public var dueSoonFraction: Double

    public init(
        firstResponse: TimeInterval, nextResponse: TimeInterval, resolution: TimeInterval? = nil,
        businessHours: BusinessHours? = nil, dueSoonFraction: Double = 0.25
    ) {
        self.firstResponse = firstResponse
        self.nextResponse = nextResponse
        self.resolution = resolution
        self.businessHours = businessHours
        self.dueSoonFraction = dueSoonFraction
    }

    /// Defaults by channel: chat 30 minutes, social and email one day, for the first response.
    public static func defaults(for kind: ChannelKind) -> SLAPolicy {
        let hour: TimeInterval = 3600
        switch kind {
        case .chat:
            return SLAPolicy(firstResponse: 30 * 60, nextResponse: 30 * 60, resolution: 24 * hour)
        case .facebook, .instagram, .x, .line:
            return SLAPolicy(firstResponse: 24 * hour, nextResponse: 24 * hour, resolution: 72 * hour)
        case .email, .form, .api:
            return SLAPolicy(firstResponse: 24 * hour, nextResponse: 24 * hour, resolution: 72 * hour)
        }
    }

    /// The longest target a shop may set: a year. Longer is no promise to a customer, and
    /// bounded targets keep every due time and every view's arithmetic in range.
    public static let maxTarget: TimeInterval = 365 * 86400

    public func validationErrors() -> [String] {
        var errors: [String] = []
        let limit = "must be more than 0 and at most \(Int(Self.maxTarget / 86400)) days (\(Int(Self.maxTarget)) seconds)"
        if !(firstResponse > 0 && firstResponse <= Self.maxTarget) { errors.append("firstResponse: " + limit) }
        if !(nextResponse > 0 && nextResponse <= Self.maxTarget) { errors.append("nextResponse: " + limit) }
        if let r = resolution, !(r > 0 && r <= Self.maxTarget) { errors.append("resolution: " + limit) }
        if !(0..<1).contains(dueSoonFraction) { errors.append("dueSoonFraction: must be in 0..<1") }
        errors += businessHours?.validationErrors().map { "businessHours." + $0 } ?? []
        return errors
    }

    /// When a target of `seconds` started at `start` falls due.
    public func due(after seconds: TimeInterval, from start: Date) -> Date {
        guard let hours = businessHours else { return start.addingTimeInterval(seconds) }
        return hours.adding(seconds, to: start) ?? .distantFuture
    }

    /// When a target of `seconds` due at `due` turns "due soon".
    public func warning(forTarget seconds: TimeInterval, dueAt due: Date) -> Date {
        let lead = seconds * dueSoonFraction
        guard let hours = businessHours else { return due.addingTimeInterval(-lead) }
        return hours.subtracting(lead, from: due) ?? due
    }

    /// Time counted by this policy between two instants.
    public func elapsed(from start: Date, to end: Date) -> TimeInterval {
        guard let hours = businessHours else { return max(0, end.timeIntervalSince(start)) }
        return hours.duration(from: start, to: end)
    }
}
