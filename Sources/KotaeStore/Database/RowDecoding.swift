import Foundation
import SQLKit

/// Column helpers: timestamps are stored as seconds since 1970 (REAL / DOUBLE PRECISION),
/// flags as integers, so one schema reads the same on both dialects.
extension SQLRow {
    func int(_ c: String) throws -> Int64 { try decode(column: c, as: Int64.self) }
    func intOpt(_ c: String) throws -> Int64? { try decode(column: c, as: Int64?.self) }
    func string(_ c: String) throws -> String { try decode(column: c, as: String.self) }
    func stringOpt(_ c: String) throws -> String? { try decode(column: c, as: String?.self) }
    func bool(_ c: String) throws -> Bool { try decode(column: c, as: Int64.self) != 0 }
    func double(_ c: String) throws -> Double { try decode(column: c, as: Double.self) }
    func date(_ c: String) throws -> Date { Date(timeIntervalSince1970: try decode(column: c, as: Double.self)) }
    func dateOpt(_ c: String) throws -> Date? {
        try decode(column: c, as: Double?.self).map { Date(timeIntervalSince1970: $0) }
    }
    func doubleOpt(_ c: String) throws -> Double? { try decode(column: c, as: Double?.self) }
    func enumValue<E: RawRepresentable>(_ c: String, _ type: E.Type) throws -> E where E.RawValue == String {
        let raw = try string(c)
        guard let v = E(rawValue: raw) else { throw DatabaseError("unknown \(E.self) '\(raw)' in column \(c)") }
        return v
    }
}

extension Date {
    var epoch: Double { timeIntervalSince1970 }
}

extension Optional where Wrapped == Date {
    var epoch: Double? { self?.timeIntervalSince1970 }
}

enum JSON {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static func string<T: Encodable>(_ value: T) -> String {
        String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    /// Made once: a decoder per call showed on the ingest path (every message row read has
    /// two JSON columns).
    static let decoder = JSONDecoder()

    static func decode<T: Decodable>(_ type: T.Type, _ s: String) throws -> T {
        try decoder.decode(type, from: Data(s.utf8))
    }
}
