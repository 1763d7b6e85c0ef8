import Foundation

/// The platform fixtures in `Tests/Fixtures` (see each folder's README for their source).
public enum Fixture {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    public static func data(_ path: String) throws -> Data { try Data(contentsOf: root.appendingPathComponent(path)) }

    public static func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: data(path)) as! [String: Any]
    }

    /// A time a platform gave in milliseconds since 1970.
    public static func date(milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
