import NIOCore
import Testing

@testable import KotaeChannels

/// How IMAP responses are framed and read: a mail inside a FETCH literal, however the
/// network splits it, and the parts of the grammar the mailbox reader relies on.
@Suite struct IMAPResponseTests {
    /// Feeds `stream` to the decoder in pieces of `size` bytes; answers the frames as text.
    static func frames(_ stream: String, pieces size: Int, limit: Int = 1 << 20) throws -> [String] {
        var decoder = IMAPFrameDecoder(maxLength: limit)
        var buffer = ByteBuffer()
        var out: [String] = []
        let bytes = Array(stream.utf8)
        for start in stride(from: 0, to: bytes.count, by: size) {
            buffer.writeBytes(bytes[start..<min(start + size, bytes.count)])
            while let frame = try decoder.decode(buffer: &buffer) { out.append(String(buffer: frame)) }
        }
        return out
    }

    @Test func aLiteralIsOneFrameWhereverTheStreamIsCut() throws {
        let mail = "Subject: {5}\r\n\r\nA line ending in a literal-like {3}\r\nbody\r\n"
        let stream = "* 1 FETCH (UID 7 BODY[] {\(mail.utf8.count)}\r\n\(mail))\r\nk3 OK FETCH done\r\n"
        for size in [1, 2, 7, 64, stream.utf8.count] {
            let frames = try Self.frames(stream, pieces: size)
            #expect(frames.count == 2, "pieces of \(size)")
            let response = try IMAPResponse(parsing: Array(frames[0].utf8))
            guard case .untagged(.fetch(1, let attributes)) = response else {
                Issue.record("not a FETCH: \(response)")
                continue
            }
            #expect(attributes["UID"]?.number == 7)
            #expect(attributes["BODY[]"]?.bytes.map { String(decoding: $0, as: UTF8.self) } == mail)
            #expect(try IMAPResponse(parsing: Array(frames[1].utf8)) == .tagged("k3", IMAPStatus(kind: .ok, code: nil, text: "FETCH done")))
        }
    }

    @Test func aResponseOverTheLimitIsAnErrorNotUnboundedMemory() throws {
        #expect(throws: IMAPFrameDecoder.FrameTooLong.self) { try Self.frames("* 1 FETCH (BODY[] {5000}\r\n", pieces: 8, limit: 1000) }
        #expect(throws: IMAPFrameDecoder.FrameTooLong.self) { try Self.frames(String(repeating: "x", count: 2000), pieces: 100, limit: 1000) }
    }

    @Test func statusCodesCapabilitiesAndSearchesAreRead() throws {
        func parse(_ s: String) throws -> IMAPResponse { try IMAPResponse(parsing: Array(s.utf8)) }
        #expect(
            try parse("* OK [UIDVALIDITY 3857529045] UIDs valid")
                == .untagged(.status(IMAPStatus(kind: .ok, code: "UIDVALIDITY 3857529045", text: "UIDs valid"))))
        #expect(try parse("* CAPABILITY IMAP4rev1 IDLE auth=plain") == .untagged(.capability(["IMAP4REV1", "IDLE", "AUTH=PLAIN"])))
        #expect(try parse("* SEARCH 4 9 12") == .untagged(.search([4, 9, 12])))
        #expect(try parse("* SEARCH") == .untagged(.search([])))
        #expect(try parse("* 23 EXISTS") == .untagged(.exists(23)))
        #expect(try parse("+ idling") == .continuation("idling"))
        #expect(
            try parse("k2 NO [AUTHENTICATIONFAILED] Authentication failed.")
                == .tagged("k2", IMAPStatus(kind: .no, code: "AUTHENTICATIONFAILED", text: "Authentication failed.")))
        guard case .untagged(.fetch(3, let a)) = try parse(#"* 3 FETCH (FLAGS (\Seen) UID 12 BODY[HEADER.FIELDS (SUBJECT)] "a \"b\"" X NIL)"#)
        else {
            Issue.record("not a FETCH")
            return
        }
        #expect(a["FLAGS"] == .list([.atom("\\Seen")]))
        #expect(a["BODY[HEADER.FIELDS (SUBJECT)]"]?.bytes == Array(#"a "b""#.utf8))
        #expect(a["X"] == .null)
        #expect(throws: IMAPParseError.self) { try parse("* 3 FETCH (UID 12") }
        #expect(IMAPSession.set([9, 3, 4, 5, 7, 8, 12]) == "3:5,7:9,12")
    }
}
