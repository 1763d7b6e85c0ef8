import Foundation
import Hummingbird
import HummingbirdCore

extension Request {
    /// The raw body up to `limit` bytes; a larger one is a 413 problem (a 500 would make a
    /// platform redeliver it forever).
    func collectBody(upTo limit: Int) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, code: "body_too_large", detail: "the request body is larger than \(limit) bytes")
        }
    }

    /// The query string decoded as browsers send a GET form: `+` is a space, `%XX` a byte.
    /// A NUL or other control byte in a value is refused with 400 rather than reaching SQL.
    func formQuery() throws -> Parameters {
        guard let raw = uri.query, !raw.isEmpty else { return uri.queryParameters }
        let parameters = URI("?" + raw.replacingOccurrences(of: "+", with: "%20")).queryParameters
        for (key, value) in parameters where (key + value).unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" }) {
            throw APIError.badRequest("control_character", "the query parameter '\(key)' contains a control character")
        }
        return parameters
    }

    /// A form-encoded body (`application/x-www-form-urlencoded`) as its fields.
    func formBody(upTo limit: Int = 64 * 1024) async throws -> [String: String] {
        let raw = String(buffer: try await collectBody(upTo: limit))
        var fields: [String: String] = [:]
        for pair in raw.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if kv.count == 2 { fields[kv[0]] = kv[1] }
        }
        return fields
    }
}
