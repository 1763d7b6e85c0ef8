import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of WebSocket routes: Hummingbird's, plus the peer's address (the chat
/// widget limits what one network address may send).
struct SocketContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>
    let remoteAddress: SocketAddress?

    init(source: Source) {
        coreContext = .init(source: source)
        webSocket = .init()
        remoteAddress = source.channel.remoteAddress
    }
}
