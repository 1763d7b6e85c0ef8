import Foundation

/// One item of a platform's batch that Kotae either understands or keeps as it came.
/// A batch is answered as a whole: one event of an unknown shape must not make the
/// platform redeliver (and finally drop) every other event with it, nor be lost itself.
enum Lenient<T: Decodable>: Decodable {
    case value(T)
    /// The item's JSON, re-encoded, and why it was not understood.
    case unreadable(json: String, reason: String)

    init(from decoder: any Decoder) throws {
        do {
            self = .value(try T(from: decoder))
        } catch {
            let raw = try JSONValue(from: decoder)
            // Sorted keys: a redelivery of the same item reads the same, so it is kept once.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let data = (try? encoder.encode(raw)) ?? Data()
            self = .unreadable(json: String(decoding: data, as: UTF8.self), reason: "\(error)")
        }
    }
}

/// A platform's parsed event, which has a case that keeps an item Kotae could not read.
protocol KeepsUnreadable {
    static func unreadable(json: String, reason: String) -> Self
}

extension Lenient {
    /// The events this item stands for: `understood` of its value, or the kept JSON.
    func items<Item: KeepsUnreadable>(_ understood: (T) -> [Item]) -> [Item] {
        switch self {
        case .value(let v): understood(v)
        case .unreadable(let json, let reason): [.unreadable(json: json, reason: reason)]
        }
    }

    /// The one event this item stands for (webhook hot path: no array per item).
    func item<Item: KeepsUnreadable>(_ understood: (T) -> Item) -> Item {
        switch self {
        case .value(let v): understood(v)
        case .unreadable(let json, let reason): .unreadable(json: json, reason: reason)
        }
    }
}

/// Any JSON value, to keep an item Kotae could not read.
enum JSONValue: Codable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}
