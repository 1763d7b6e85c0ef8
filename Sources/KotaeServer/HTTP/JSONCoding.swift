import Foundation
import Hummingbird

/// The API's request decoder (Hummingbird's `RequestDecoder`, so routes read a body with
/// `request.decode(as:context:)`): JSON only, within the context's `maxUploadSize`, with clear
/// errors: too large → 413, not JSON or not UTF-8 → 400, a missing or wrong field → 422 naming it.
public struct KotaeRequestDecoder: RequestDecoder {
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        // ISO 8601 with or without fractional seconds; a bad date names its field.
        d.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let s = try c.decode(String.self)
            if let date = ISO8601.parse(s) { return date }
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(s)' is not an ISO 8601 date-time")
        }
        return d
    }()

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        // A JSON route takes only a JSON body: a form or text/plain body is what a
        // cross-site page can send without asking (login CSRF), so it is refused with 415.
        guard Self.isJSON(request.headers[.contentType]) else {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type", detail: "send the body as application/json")
        }
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let data = Data(buffer: buffer)
        if data.isEmpty { throw APIError.badRequest("empty_body", "a JSON body is required") }
        guard String(data: data, encoding: .utf8) != nil else {
            throw APIError.badRequest("invalid_utf8", "the body is not valid UTF-8")
        }
        if Self.containsEscapedNUL(data) {
            throw APIError.badRequest("nul_character", "text in the body contains a NUL character (\\u0000), which cannot be stored")
        }
        do {
            return try Self.decoder.decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, ctx) {
            throw APIError.invalid(Self.path(ctx.codingPath + [key]), "\(Self.path(ctx.codingPath + [key])) is required")
        } catch let DecodingError.typeMismatch(_, ctx), let DecodingError.valueNotFound(_, ctx) {
            throw APIError.invalid(Self.path(ctx.codingPath), "\(Self.path(ctx.codingPath)) has the wrong type")
        } catch let DecodingError.dataCorrupted(ctx) where !ctx.codingPath.isEmpty {
            throw APIError.invalid(Self.path(ctx.codingPath), "\(Self.path(ctx.codingPath)): \(ctx.debugDescription)")
        } catch let DecodingError.dataCorrupted(ctx) where (try? JSONSerialization.jsonObject(with: data)) != nil {
            // Valid JSON that does not fit (a number beyond Int64, say): Foundation names no field.
            throw APIError(.unprocessableContent, code: "validation_failed", detail: "a value is out of range: \(ctx.debugDescription)")
        } catch let e as APIError {
            throw e
        } catch {
            throw APIError.badRequest("malformed_json", "the body is not valid JSON")
        }
    }

    /// Whether a JSON text has a `\u0000` escape (a NUL in a string): PostgreSQL cannot store
    /// one and no customer's text needs it. An escaped backslash before `u0000` is not one.
    static func containsEscapedNUL(_ data: Data) -> Bool {
        let escape = Data("\\u0000".utf8), backslash = UInt8(ascii: "\\")
        var from = data.startIndex
        while let found = data.range(of: escape, in: from..<data.endIndex) {
            // The backslash found escapes `u` only if the backslashes before it are paired.
            var before = 0, j = found.lowerBound
            while j > data.startIndex && data[j - 1] == backslash { before += 1; j -= 1 }
            if before % 2 == 0 { return true }
            from = found.lowerBound + 1
        }
        return false
    }

    /// `application/json`, or any `+json` type, with or without parameters.
    /// Read on every JSON request, so without Foundation's trimming (it showed on the ingest path).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        var type = contentType.prefix { $0 != ";" }
        while type.first?.isWhitespace == true { type.removeFirst() }
        while type.last?.isWhitespace == true { type.removeLast() }
        let lower = type.lowercased()
        return lower == "application/json" || (lower.hasPrefix("application/") && lower.hasSuffix("+json"))
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }
}

extension JSONEncoder {
    /// The API's JSON: ISO 8601 dates, keys sorted (answers compare byte for byte). The
    /// context's response encoder, and what webhooks and live events are written with.
    static let kotae: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys]
        return e
    }()
}

extension RequestContext {
    /// `value` as JSON by the context's response encoder, answered with `status`.
    func json(_ value: some Encodable, _ request: Request, status: HTTPResponse.Status = .ok) throws -> Response {
        var response = try responseEncoder.encode(value, from: request, context: self)
        response.status = status
        return response
    }
}

enum ISO8601 {
    // Value-type parsers, made once: a formatter per call showed on the ingest path.
    private static let plain = Date.ISO8601FormatStyle()
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func parse(_ s: String) -> Date? {
        (try? plain.parse(s)) ?? (try? fractional.parse(s))
    }
}
