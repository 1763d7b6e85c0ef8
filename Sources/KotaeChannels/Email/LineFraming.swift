import NIOCore

/// Splits a mail protocol's stream (SMTP, LMTP, IMAP) into lines without their CRLF (a bare
/// LF is accepted too). A line longer than `maxLength` is an error rather than unbounded
/// memory: RFC 5321 allows 512 bytes for a command and 1,000 for a text line.
struct LineDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    let maxLength: Int

    struct LineTooLong: Error, CustomStringConvertible {
        let limit: Int
        var description: String { "a line longer than \(limit) bytes" }
    }

    mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        guard let lf = buffer.readableBytesView.firstIndex(of: 0x0A) else {
            if buffer.readableBytes > maxLength { throw LineTooLong(limit: maxLength) }
            return nil
        }
        let length = lf - buffer.readerIndex
        if length > maxLength { throw LineTooLong(limit: maxLength) }
        var line = buffer.readSlice(length: length)!
        buffer.moveReaderIndex(forwardBy: 1)
        if line.readableBytesView.last == 0x0D { line.moveWriterIndex(to: line.writerIndex - 1) }
        return line
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        try decode(buffer: &buffer)
    }
}

/// Raised when the peer sent nothing for the read timeout.
struct ReadTimeout: Error {}

/// Ends a connection whose peer went quiet (after `IdleStateHandler`'s read timeout): the
/// reader sees `ReadTimeout` instead of waiting for ever.
final class CloseOnReadTimeout: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.fireErrorCaught(ReadTimeout())
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
