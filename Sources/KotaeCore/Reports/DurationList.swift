import Foundation

/// Whole seconds (or ratings) as text that can be appended to in SQL (`list || more`) on
/// SQLite and PostgreSQL alike: each value is self-delimiting, five bits per character, most
/// significant first; every character but the last of a value comes from a second range.
/// A day's rollup keeps its exact values this way, so medians and percentiles over a year
/// read 365 short texts and not a million rows.
public enum DurationList {
    private static let last: UInt8 = 0x30  // "0"…"O": a value's last five bits
    private static let more: UInt8 = 0x50  // "P"…"o": more bits follow

    public static func encode(_ values: some Sequence<Double>) -> String {
        var bytes: [UInt8] = []
        for v in values { append(UInt64(max(0, v.rounded())), to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var digits = 1
        while digits < 13, value >> (5 * UInt64(digits)) != 0 { digits += 1 }
        for i in stride(from: digits - 1, through: 0, by: -1) {
            let d = UInt8(truncatingIfNeeded: (value >> (5 * UInt64(i))) & 31)
            bytes.append(i == 0 ? last + d : more + d)
        }
    }

    /// Appends the values of `text` to `out`. Characters outside both ranges are skipped.
    public static func decode(_ text: String, into out: inout [Int]) {
        var value = 0
        for b in text.utf8 {
            if b >= more && b < more + 32 {
                value = value << 5 | Int(b - more)
            } else if b >= last && b < last + 32 {
                out.append(value << 5 | Int(b - last))
                value = 0
            }
        }
    }

    public static func decode(_ text: String) -> [Int] {
        var out: [Int] = []
        decode(text, into: &out)
        return out
    }
}
