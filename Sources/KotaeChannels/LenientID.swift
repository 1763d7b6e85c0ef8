import Foundation

/// An id a platform sends as a JSON number in one payload and a string in another
/// (Messenger's `app_id`): kept as its decimal text. A number too large for an integer,
/// or a fraction, is not an id and fails to decode.
public struct LenientID: Decodable, Sendable, Equatable {
    public let value: String

    public init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let text = try? single.decode(String.self) {
            value = text
        } else {
            value = String(try single.decode(UInt64.self))
        }
    }
}
