import NIOCore

/// Splits an IMAP server's stream into responses (RFC 9051 §4.3): a line, and when it ends
/// with a literal `{N}` the N bytes after it and the rest of the line, repeated. A mail
/// arrives as one literal inside a FETCH response, so a frame is as large as the mail;
/// `maxLength` bounds it.
struct IMAPFrameDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    let maxLength: Int
    /// How far into the readable bytes the current frame is known to reach, so a large
    /// literal arriving in many reads is not scanned again from its start each time.
    private var scanned = 0

    init(maxLength: Int) { self.maxLength = maxLength }

    struct FrameTooLong: Error, CustomStringConvertible {
        let limit: Int
        var description: String { "an IMAP response longer than \(limit) bytes" }
    }

    mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        let bytes = buffer.readableBytesView
        while true {
            guard let lf = bytes[(bytes.startIndex + scanned)...].firstIndex(of: 0x0A) else {
                if bytes.count > maxLength { throw FrameTooLong(limit: maxLength) }
                return nil
            }
            let lineEnd = lf - bytes.startIndex
            if let literal = Self.literalLength(bytes, endingBefore: lf) {
                guard literal <= maxLength, lineEnd + 1 + literal <= maxLength else { throw FrameTooLong(limit: maxLength) }
                let after = lineEnd + 1 + literal
                guard bytes.count >= after else { return nil }
                scanned = after
                continue
            }
            scanned = 0
            var frame = buffer.readSlice(length: lineEnd + 1)!
            frame.moveWriterIndex(to: frame.writerIndex - (lineEnd > 0 && bytes[lf - 1] == 0x0D ? 2 : 1))
            return frame
        }
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        try decode(buffer: &buffer)
    }

    /// N when the line ending at `lf` ends with `{N}` or `{N+}` (before its CR).
    static func literalLength(_ bytes: ByteBufferView, endingBefore lf: ByteBufferView.Index) -> Int? {
        var i = lf
        if i > bytes.startIndex, bytes[i - 1] == 0x0D { i -= 1 }
        guard i > bytes.startIndex, bytes[i - 1] == UInt8(ascii: "}") else { return nil }
        i -= 1
        if i > bytes.startIndex, bytes[i - 1] == UInt8(ascii: "+") { i -= 1 }
        var value = 0, digits = 0
        var multiplier = 1
        while i > bytes.startIndex, let d = bytes[i - 1].asciiDigit {
            value += d * multiplier
            multiplier *= 10
            digits += 1
            i -= 1
            if digits > 12 { return nil }
        }
        guard digits > 0, i > bytes.startIndex, bytes[i - 1] == UInt8(ascii: "{") else { return nil }
        return value
    }
}

extension UInt8 {
    var asciiDigit: Int? { (0x30...0x39).contains(self) ? Int(self - 0x30) : nil }
}
