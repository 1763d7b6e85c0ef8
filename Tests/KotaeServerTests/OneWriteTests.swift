import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import KotaeServer

/// Answers behind `OneWriteMiddleware` and Hummingbird's metrics middleware arrive as the
/// routes made them: a small body whole, an empty one empty, a large one and a stream of
/// unknown length streamed. (That the request metrics are still recorded through it is
/// `SystemTests.healthAndMetrics`.)
@Suite struct OneWriteTests {
    @Test func everyKindOfBodyArrivesAsTheRouteMadeIt() async throws {
        let router = Router()
        router.add(middleware: OneWriteMiddleware())
        router.add(middleware: MetricsMiddleware())
        let large = ByteBuffer(repeating: UInt8(ascii: "k"), count: OneWriteMiddleware<BasicRequestContext>.largestBuffered + 1)
        router.get("small") { _, _ in "小さな答え" }
        router.get("empty") { _, _ in HTTPResponse.Status.noContent }
        router.get("large") { _, _ in Response(status: .ok, body: .init(byteBuffer: large)) }
        router.get("stream") { _, _ in
            Response(
                status: .ok,
                body: .init { writer in
                    for part in ["一", "二", "三"] { try await writer.write(ByteBuffer(string: part)) }
                    try await writer.finish(nil)
                })
        }
        try await Application(router: router).test(.live) { client in
            let small = try await client.execute(uri: "/small", method: .get)
            #expect(small.status == .ok && String(buffer: small.body) == "小さな答え")
            #expect(small.headers[.contentLength] == "\(small.body.readableBytes)")
            let empty = try await client.execute(uri: "/empty", method: .get)
            #expect(empty.status == .noContent && empty.body.readableBytes == 0)
            let big = try await client.execute(uri: "/large", method: .get)
            #expect(big.status == .ok && big.body == large)
            let stream = try await client.execute(uri: "/stream", method: .get)
            #expect(stream.status == .ok && String(buffer: stream.body) == "一二三")
            #expect(stream.headers[.transferEncoding] == "chunked")
        }
    }
}
