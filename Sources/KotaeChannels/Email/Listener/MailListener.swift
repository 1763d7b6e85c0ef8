import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Where mail received by the listener goes: which recipients are taken, and the delivery
/// itself, which answers only once the mail is committed (or failed).
public protocol MailDelivery: Sendable {
    /// Whether mail for `recipient` is taken here (an inbox's address, an alias, a `+`
    /// sub-address of one); the rest is refused at RCPT, so nothing is relayed.
    func accepts(recipient: String) async -> Bool
    /// Stores `raw` for each of `recipients`; answers, per recipient, nil when it is stored
    /// (or knowingly dropped) and a reason when it could not be now (the sender retries).
    func deliver(_ raw: [UInt8], from sender: String, to recipients: [String]) async -> [String: String]
}

/// An inbound SMTP (RFC 5321) or LMTP (RFC 2033) server for mail an MTA relays or forwards
/// to Kotae. It answers 250 only after the delivery committed the mail; a failed commit
/// is 451, so the sending MTA keeps the mail and tries again. Size is limited at MAIL
/// (the SIZE parameter, RFC 1870) and while DATA is read.
public struct MailListener: Sendable {
    public enum Dialect: String, Sendable { case smtp, lmtp }

    public let dialect: Dialect
    /// The name in the greeting and EHLO answer.
    public let hostname: String
    public let maxMessageBytes: Int
    public var maxRecipients = 100
    /// A connection silent this long is closed (RFC 5321 §4.5.3.2 suggests 5 minutes).
    public var idleTimeout: TimeAmount = .minutes(5)

    public init(dialect: Dialect, hostname: String, maxMessageBytes: Int) {
        self.dialect = dialect
        self.hostname = hostname
        self.maxMessageBytes = maxMessageBytes
    }

    /// Listens on `host:port` and serves connections until cancelled. `bound` is told the
    /// port (useful when `port` is 0).
    public func run(
        host: String, port: Int, delivery: some MailDelivery, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        bound: @Sendable (Int) -> Void = { _ in }
    ) async throws {
        let idle = idleTimeout
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    // A data line may be long (RFC 5321's 1,000 is often exceeded); a command is short.
                    try channel.pipeline.syncOperations.addHandlers(
                        IdleStateHandler(readTimeout: idle), CloseOnReadTimeout(), ByteToMessageHandler(LineDecoder(maxLength: 64 * 1024)))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        bound(server.channel.localAddress?.port ?? port)
        // On shutdown (this task cancelled) the listening socket and every open session are
        // closed: a client that keeps its connection open would otherwise hold the server's
        // stop up to the idle timeout.
        let open = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
        try await withTaskCancellationHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        let channel = connection.channel
                        open.withLockedValue { $0[ObjectIdentifier(channel)] = channel }
                        group.addTask {
                            defer { open.withLockedValue { $0[ObjectIdentifier(channel)] = nil } }
                            try? await connection.executeThenClose { lines, out in
                                var session = MailListenerSession(listener: self, delivery: delivery, out: out)
                                try await session.serve(lines)
                            }
                        }
                    }
                }
            }
        } onCancel: {
            server.channel.close(promise: nil)
            for channel in open.withLockedValue({ Array($0.values) }) { channel.close(promise: nil) }
        }
    }
}
