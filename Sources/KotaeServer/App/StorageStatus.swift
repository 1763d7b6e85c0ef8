import Foundation
import KotaeCore

/// The last time a write found the storage full, and how much room the data directory has
/// left. `/health` reports either; requests that hit it answer 503 "storage full".
struct StorageStatus: Sendable {
    let dataDirectory: String
    private let lastFull = Locked<Date?>(nil)
    /// Below this much free space the data directory counts as full.
    static let minimumFreeBytes: UInt64 = 16 * 1024 * 1024
    /// A failed write is reported by `/health` for this long.
    static let memory: TimeInterval = 300

    init(dataDirectory: String) { self.dataDirectory = dataDirectory }

    func recordFull(now: Date = Date()) { lastFull.withLock { $0 = now } }

    /// Bytes free for Kotae in the data directory's file system; nil when it cannot be read.
    var freeBytes: UInt64? {
        var s = statvfs()
        guard statvfs(dataDirectory, &s) == 0 else { return nil }
        return UInt64(s.f_bavail) * UInt64(s.f_frsize)
    }

    /// A sentence for `/health` when the storage has a problem; nil when it is fine.
    func problem(now: Date = Date()) -> String? {
        if let at = lastFull.withLock({ $0 }), now.timeIntervalSince(at) < Self.memory {
            return "storage full: a write failed for lack of space at \(ISO8601DateFormatter().string(from: at))"
        }
        if let free = freeBytes, free < Self.minimumFreeBytes {
            return "storage full: \(free / 1024) KiB left in \(dataDirectory)"
        }
        return nil
    }
}
