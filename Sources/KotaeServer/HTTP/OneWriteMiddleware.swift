import Hummingbird
import HTTPTypes
import NIOCore

/// Sends a small answer in one write. Hummingbird's `MetricsMiddleware` learns a request's
/// end by wrapping its body in a closure, and a closure body leaves as three writes to the
/// connection (head, body, end), each its own hop to the event loop, where a plain buffer
/// leaves as one. Placed outside it, this runs such a body of known size into one buffer
/// (the metrics are recorded as it does), so the answer goes out in one write again. Streams
/// (no length) and large files keep streaming.
struct OneWriteMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Larger bodies are streamed as they are written.
    static var largestBuffered: Int { 256 * 1024 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard let length = response.body.contentLength, length <= Self.largestBuffered else { return response }
        let collected = Collected()
        let body = response.body
        try await body.write(Collector(into: collected))
        if let trailers = collected.trailers {
            // Never seen with a known length; kept whole all the same.
            let buffer = collected.buffer
            response.body = ResponseBody(contentLength: buffer.readableBytes) { writer in
                try await writer.write(buffer)
                try await writer.finish(trailers)
            }
        } else if collected.buffer.readableBytes == 0 {
            // No body part at all (a 204, a HEAD's headers): as Hummingbird sends an empty body.
            response.body = ResponseBody()
        } else {
            response.body = ResponseBody(byteBuffer: collected.buffer)
        }
        return response
    }

    /// What the body wrote. Used by one request's task alone, start to end.
    private final class Collected: @unchecked Sendable {
        var buffer = ByteBuffer()
        var trailers: HTTPFields?
    }

    private struct Collector: ResponseBodyWriter {
        let into: Collected

        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            into.buffer.writeBuffer(&buffer)
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
            into.trailers = trailingHeaders
        }
    }
}
