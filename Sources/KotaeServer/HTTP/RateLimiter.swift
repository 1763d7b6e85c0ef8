import Foundation

/// Counts events per key in a fixed window (failed sign-ins per address, CRC checks per
/// address). Memory is bounded: past `maxKeys`, finished windows are dropped first, then
/// the oldest, so a flood of new addresses cannot grow it without end.
actor RateLimiter {
    private struct Window { var start: Date; var count: Int }
    private var windows: [String: Window] = [:]
    let limit: Int
    let window: TimeInterval
    let maxKeys: Int

    init(limit: Int, window: TimeInterval, maxKeys: Int = 10_000) {
        self.limit = limit
        self.window = window
        self.maxKeys = maxKeys
    }

    /// Whether `key` has used up its window; the seconds until it may try again.
    func blockedFor(_ key: String, now: Date = Date()) -> TimeInterval? {
        guard let w = windows[key] else { return nil }
        let left = window - now.timeIntervalSince(w.start)
        if left <= 0 { windows[key] = nil; return nil }
        return w.count >= limit ? left : nil
    }

    /// Counts one event for `key`.
    func record(_ key: String, now: Date = Date()) {
        if var w = windows[key], now.timeIntervalSince(w.start) < window {
            w.count += 1
            windows[key] = w
        } else {
            windows[key] = Window(start: now, count: 1)
            if windows.count > maxKeys { trim(now: now) }
        }
    }

    /// Counts one event and says whether it was over the limit (for checks that count every try).
    func admit(_ key: String, now: Date = Date()) -> Bool {
        if blockedFor(key, now: now) != nil { return false }
        record(key, now: now)
        return true
    }

    func reset(_ key: String) { windows[key] = nil }

    var keyCount: Int { windows.count }

    private func trim(now: Date) {
        windows = windows.filter { now.timeIntervalSince($0.value.start) < window }
        if windows.count > maxKeys {
            let oldest = windows.sorted { $0.value.start < $1.value.start }.prefix(windows.count - maxKeys * 3 / 4)
            for (key, _) in oldest { windows[key] = nil }
        }
    }
}
