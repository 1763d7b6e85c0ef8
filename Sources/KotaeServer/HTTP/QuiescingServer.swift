import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore

extension HTTPServerBuilder {
    /// HTTP/1.1 with the WebSocket upgrade, as `http1WebSocketUpgrade(webSocketRouter:)`, where a
    /// graceful stop also closes the connections on which no request has begun.
    ///
    /// Hummingbird stops by telling each open connection to quiesce: one between requests
    /// closes, one with a request in flight closes after its answer. With the WebSocket upgrade,
    /// though, what does this is put on a connection only once its first request's head has
    /// been read and it is known not to be a WebSocket; a connection opened and not yet used (a
    /// browser's preconnect, an HTTP client's spare pooled connection) heard nothing, and
    /// `kotae serve` did not exit on SIGTERM until the client let the connection go.
    static func quiescingHTTP1WebSocketUpgrade<Routes: HTTPResponderBuilder>(
        webSocketRouter: Routes
    ) -> HTTPServerBuilder where Routes.Responder.Context: WebSocketRequestContext {
        let webSocketResponder = webSocketRouter.buildResponder()
        return .init { responder in
            QuiescingChildChannel(
                inner: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder, configuration: .init()))
        }
    }
}

/// A server connection set up as `inner` sets it up, with `FirstRequestQuiescer` in front.
struct QuiescingChildChannel<Inner: ServerChildChannel>: ServerChildChannel {
    let inner: Inner

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Inner.Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(FirstRequestQuiescer(), position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return inner.setup(channel: channel, logger: logger)
    }

    func handle(value: Inner.Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// Answers a stop for a connection until its HTTP handler is in place: closes it if not a
/// byte of a request has come, and otherwise hands the stop on once the first request has
/// been told apart from a WebSocket (which closes itself on a stop), so that request still
/// gets its answer before the connection closes.
final class FirstRequestQuiescer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    /// How often a stop that came while the first request was being told apart looks again.
    static let recheck = TimeAmount.milliseconds(20)

    private var requestBegan = false
    private var pending: Scheduled<Void>?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // From the second read on, an HTTP connection has its own handler for a stop: this one
        // steps out, so a keep-alive connection's requests pass one handler fewer.
        let stepOut = requestBegan && pending == nil && hasHTTPHandler(context)
        requestBegan = true
        context.fireChannelRead(data)
        if stepOut { context.pipeline.syncOperations.removeHandler(context: context, promise: nil) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if requestBegan {
            handOn(context)
        } else {
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelPending()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelPending()
    }

    /// Passes the stop to the HTTP handler once there is one; a WebSocket never gets one and
    /// ends by itself, and its close ends the waiting.
    private func handOn(_ context: ChannelHandlerContext) {
        pending = nil
        guard context.channel.isActive else { return }
        if hasHTTPHandler(context) {
            context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
            return
        }
        pending = context.eventLoop.assumeIsolated().scheduleTask(in: Self.recheck) { self.handOn(context) }
    }

    private func hasHTTPHandler(_ context: ChannelHandlerContext) -> Bool {
        (try? context.pipeline.syncOperations.handler(type: HTTPConnectionStateHandler.self)) != nil
    }

    private func cancelPending() {
        pending?.cancel()
        pending = nil
    }
}
