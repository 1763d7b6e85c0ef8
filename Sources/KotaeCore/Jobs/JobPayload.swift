import Foundation

/// The typed contract of one kind of background job: its payload is this type, stored as
/// JSON under `kind`. The runner decodes it once, before the handler runs; a payload that
/// cannot be read ends the job (dead, with the reason) instead of retrying forever.
public protocol JobPayload: Codable, Sendable {
    /// The name the queue stores; never change it once jobs of this kind may be queued.
    static var kind: String { get }
}

/// A number in a job payload. Jobs queued before payloads were typed wrote every value as a
/// string (`{"messageId":"12"}`); a queue that survives an upgrade must still read them.
@propertyWrapper
public struct StoredNumber<Value: Codable & LosslessStringConvertible & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var wrappedValue: Value

    public init(wrappedValue: Value) { self.wrappedValue = wrappedValue }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Value.self) {
            wrappedValue = v
        } else if let text = try? c.decode(String.self), let v = Value(text) {
            wrappedValue = v
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a \(Value.self), as a number or a string")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(wrappedValue)
    }
}
