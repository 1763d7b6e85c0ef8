import Foundation
import KotaeCore

/// What Graph's usage headers say about the app's standing with its rate limits.
///
/// `X-App-Usage` is a flat object of percentages (`call_count`, `total_cputime`,
/// `total_time`); `X-Business-Use-Case-Usage` (page tokens are counted here) maps each
/// business object to a list of such objects, which add `estimated_time_to_regain_access`
/// in minutes once the object is throttled. Meta asks callers to back off by these.
public struct GraphUsage: Sendable, Equatable {
    /// The highest percentage of any limit used, 0–100 (more when already over).
    public var percent: Double = 0
    /// How long Meta expects the throttle to last, when it said (the longest it named).
    public var regainAccessAfter: TimeInterval?

    public init(percent: Double = 0, regainAccessAfter: TimeInterval? = nil) {
        self.percent = percent
        self.regainAccessAfter = regainAccessAfter
    }

    /// Reads the headers by name (case-insensitive); anything unreadable counts as nothing.
    public init(header: (String) -> String?) {
        for name in ["X-App-Usage", "X-Business-Use-Case-Usage", "X-Page-Usage"] {
            guard let raw = header(name), let json = try? JSONSerialization.jsonObject(with: Data(raw.utf8)) else { continue }
            for entry in Self.entries(json) { add(entry) }
        }
    }

    /// A flat usage object stands for itself; a business map holds lists of them.
    private static func entries(_ json: Any) -> [[String: Any]] {
        guard let object = json as? [String: Any] else { return [] }
        if object["call_count"] != nil || object["total_time"] != nil { return [object] }
        return object.values.flatMap { ($0 as? [[String: Any]]) ?? [] }
    }

    private mutating func add(_ entry: [String: Any]) {
        for key in ["call_count", "total_cputime", "total_time"] {
            if let n = Self.number(entry[key]) { percent = max(percent, n) }
        }
        // Believed within a day, as every wait a platform names: a header's number must not
        // reach a conversion that could trap.
        if let minutes = Self.number(entry["estimated_time_to_regain_access"]), minutes > 0, minutes.isFinite {
            regainAccessAfter = max(regainAccessAfter ?? 0, min(minutes * 60, PlatformTime.longestWait))
        }
    }

    private static func number(_ value: Any?) -> Double? {
        switch value {
        case let n as NSNumber: return n.doubleValue
        case let s as String: return Double(s)
        default: return nil
        }
    }
}
