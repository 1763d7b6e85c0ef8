/// One part of a MIME message (RFC 2045/2046): its headers, and either its children (a
/// multipart, or the message inside a `message/rfc822`) or its body, still transfer-encoded.
/// Parsing never fails: whatever the bytes, a tree comes out, with warnings for what was odd.
public struct MIMEPart: Sendable, Equatable {
    public var headers: Headers
    /// The body as sent (transfer encoding not yet removed).
    public var body: ArraySlice<UInt8>
    public var children: [MIMEPart]
    /// What was wrong with this part's structure (a missing boundary, a part cut off).
    public var warnings: [String]

    /// Deeper nesting than this is treated as a leaf: real mail nests a few levels, and a
    /// hostile message must not exhaust the stack.
    static let maxDepth = 24
    /// More parts than this in one multipart are kept as one leaf.
    static let maxParts = 2_000

    public init(parsing bytes: [UInt8]) {
        self.init(parsing: bytes[...], depth: 0)
    }

    init(parsing bytes: ArraySlice<UInt8>, depth: Int) {
        let (head, body) = Self.split(bytes)
        headers = Headers(parsing: head)
        self.body = body
        children = []
        warnings = []
        guard depth < Self.maxDepth else {
            warnings.append("parts nested deeper than \(Self.maxDepth) levels were kept unread")
            return
        }
        let type = contentType
        if type.value.hasPrefix("multipart/") {
            guard let boundary = type["boundary"], !boundary.isEmpty else {
                warnings.append("a multipart without a boundary was read as one text")
                return
            }
            let (parts, problems) = Self.multipartBodies(body, boundary: Array(boundary.utf8))
            warnings += problems
            if parts.isEmpty {
                warnings.append("no part found for boundary \(boundary)")
                return
            }
            children = parts.prefix(Self.maxParts).map { MIMEPart(parsing: $0, depth: depth + 1) }
        } else if type.value == "message/rfc822" || type.value == "message/global" {
            let inner = TransferEncoding(header: headers.string("Content-Transfer-Encoding")).decode(body)
            children = [MIMEPart(parsing: inner[...], depth: depth + 1)]
        }
    }

    /// The Content-Type, defaulting to `text/plain` (RFC 2045 5.2). Of several, the first.
    public var contentType: HeaderParameters {
        guard let raw = headers.raw("Content-Type") else { return HeaderParameters(value: "text/plain") }
        var p = HeaderParameters(parsing: raw)
        if !p.value.contains("/") { p.value = "text/plain" }
        return p
    }

    public var disposition: HeaderParameters? {
        headers.raw("Content-Disposition").map { HeaderParameters(parsing: $0) }
    }

    /// The body with its transfer encoding removed.
    public var decodedBody: [UInt8] {
        TransferEncoding(header: headers.string("Content-Transfer-Encoding")).decode(body)
    }

    /// Headers and body, split at the first empty line. No empty line: all headers if the
    /// bytes look like headers, else all body.
    static func split(_ bytes: ArraySlice<UInt8>) -> (ArraySlice<UInt8>, ArraySlice<UInt8>) {
        var i = bytes.startIndex
        // An empty first line: no headers at all.
        if i < bytes.endIndex, bytes[i] == 0x0A { return (bytes[i..<i], bytes[(i + 1)...]) }
        if i + 1 < bytes.endIndex, bytes[i] == 0x0D, bytes[i + 1] == 0x0A { return (bytes[i..<i], bytes[(i + 2)...]) }
        while i < bytes.endIndex {
            if bytes[i] == 0x0A {
                var j = i + 1
                if j < bytes.endIndex, bytes[j] == 0x0D { j += 1 }
                if j < bytes.endIndex, bytes[j] == 0x0A { return (bytes[bytes.startIndex..<i], bytes[(j + 1)...]) }
                if j == bytes.endIndex { return (bytes[bytes.startIndex..<i], bytes[j...]) }
            }
            i += 1
        }
        return (bytes, bytes[bytes.endIndex...])
    }

    /// The bodies between `--boundary` lines. The preamble and epilogue are dropped; a
    /// missing closing line is tolerated (the last part runs to the end) and noted.
    static func multipartBodies(_ body: ArraySlice<UInt8>, boundary: [UInt8]) -> ([ArraySlice<UInt8>], [String]) {
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var closed = false
        var lineStart = body.startIndex
        while lineStart < body.endIndex {
            var lineEnd = lineStart
            while lineEnd < body.endIndex, body[lineEnd] != 0x0A { lineEnd += 1 }
            let next = lineEnd < body.endIndex ? lineEnd + 1 : lineEnd
            if body[lineStart] == UInt8(ascii: "-"), lineEnd - lineStart >= boundary.count + 2,
                body[lineStart + 1] == UInt8(ascii: "-"),
                body[(lineStart + 2)..<(lineStart + 2 + boundary.count)].elementsEqual(boundary)
            {
                let rest = body[(lineStart + 2 + boundary.count)..<lineEnd]
                let isClose = rest.starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")])
                // The boundary line must end there (spaces allowed), or a longer boundary
                // that starts with this one would match.
                let tail = isClose ? rest.dropFirst(2) : rest
                if tail.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                    if let start = partStart {
                        // The CRLF before a boundary line belongs to the boundary.
                        var end = lineStart
                        if end > start, body[end - 1] == 0x0A { end -= 1 }
                        if end > start, body[end - 1] == 0x0D { end -= 1 }
                        parts.append(body[start..<end])
                    }
                    if isClose {
                        closed = true
                        break
                    }
                    partStart = next
                }
            }
            lineStart = next
        }
        var warnings: [String] = []
        if !closed, let start = partStart {
            parts.append(body[start..<body.endIndex])
            warnings.append("the multipart's closing boundary is missing")
        }
        return (parts, warnings)
    }
}
