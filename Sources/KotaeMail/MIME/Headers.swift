/// A header block (RFC 5322 section 2.2): fields in order, each value unfolded and kept as
/// bytes until it is read, because a header may hold raw 8-bit text in any charset.
public struct Headers: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        /// The name as written (compare with `matches`).
        public var name: String
        /// The unfolded value, without the leading space.
        public var value: [UInt8]

        func matches(_ other: String) -> Bool { name.caseInsensitiveEquals(other) }
    }

    public var fields: [Field] = []

    public init(fields: [Field] = []) { self.fields = fields }

    /// Reads the header block `bytes` (everything before the blank line). Lines that are not
    /// fields (no colon, or a stray line at the start) are skipped.
    init(parsing bytes: ArraySlice<UInt8>) {
        var current: (name: String, value: [UInt8])?
        for line in Lines(bytes) {
            if let first = line.first, first == 0x20 || first == 0x09 {
                // A continuation: folding whitespace becomes one space's worth (kept as is).
                current?.value += line
                continue
            }
            if let c = current { fields.append(Field(name: c.name, value: Self.trimmed(c.value))) }
            current = nil
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = line[line.startIndex..<colon]
            guard !name.isEmpty, name.count < 80, name.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                // "From " mbox separators and other junk.
                continue
            }
            current = (String(decoding: name, as: UTF8.self), Array(line[(colon + 1)...]))
        }
        if let c = current { fields.append(Field(name: c.name, value: Self.trimmed(c.value))) }
    }

    static func trimmed(_ v: [UInt8]) -> [UInt8] {
        var s = v[...]
        while let f = s.first, f == 0x20 || f == 0x09 { s = s.dropFirst() }
        while let l = s.last, l == 0x20 || l == 0x09 { s = s.dropLast() }
        return Array(s)
    }

    /// The first field named `name` (case-insensitive), as raw bytes.
    public func raw(_ name: String) -> [UInt8]? { fields.first { $0.matches(name) }?.value }

    /// Every field named `name`, in order.
    public func all(_ name: String) -> [[UInt8]] { fields.filter { $0.matches(name) }.map(\.value) }

    /// The first field named `name` as ASCII-ish text (structured fields: ids, types, dates).
    public func string(_ name: String) -> String? { raw(name).map { String(decoding: $0, as: UTF8.self) } }

    /// The first field named `name` as human text, encoded words and raw charsets read.
    public func text(_ name: String) -> String? { raw(name).map { EncodedWords.decode($0).text } }

    /// Adds a field at the end (for composing).
    public mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: Array(value.utf8)))
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { x, y in x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= 0x61 && (x | 0x20) <= 0x7A) }
    }
}

/// The lines of a byte buffer, each without its CRLF or LF.
struct Lines: Sequence, IteratorProtocol {
    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        position = bytes.startIndex
    }

    mutating func next() -> ArraySlice<UInt8>? {
        guard position < bytes.endIndex else { return nil }
        let start = position
        var end = start
        while end < bytes.endIndex, bytes[end] != 0x0A { end += 1 }
        position = end < bytes.endIndex ? end + 1 : end
        var lineEnd = end
        if lineEnd > start, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        return bytes[start..<lineEnd]
    }
}
