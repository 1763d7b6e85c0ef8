import NIOCore
import NIOPosix
import NIOSSL

/// Where a mail server is and how to reach it: host and port, implicit TLS (465, 993) or
/// STARTTLS (587, 143), and which certificates are trusted (the system's, or given ones for
/// a private server). The SMTP and IMAP clients open their connections here.
public struct MailServer: Sendable, Equatable {
    public enum Security: String, Sendable { case tls, starttls, none }

    public var host: String
    public var port: Int
    public var security: Security
    /// PEM of the certificate(s) to trust instead of the system's (a self-hosted server).
    public var trustedCertificatePEM: String?

    public init(host: String, port: Int, security: Security, trustedCertificatePEM: String? = nil) {
        self.host = host
        self.port = port
        self.security = security
        self.trustedCertificatePEM = trustedCertificatePEM
    }

    func tlsContext() throws -> NIOSSLContext {
        var config = TLSConfiguration.makeClientConfiguration()
        if let pem = trustedCertificatePEM {
            config.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)))
        }
        return try NIOSSLContext(configuration: config)
    }

    /// A connection with TLS from the start when the server wants it, a read timeout (a
    /// silent server ends the reader with `ReadTimeout`) and the protocol's framing.
    func connect<Framing: NIOSingleStepByteToMessageDecoder & Sendable>(
        group: any EventLoopGroup, connectTimeout: TimeAmount, readTimeout: TimeAmount, framing: Framing
    ) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> where Framing.InboundOut == ByteBuffer {
        let tls = security == .tls ? try tlsContext() : nil
        let host = self.host
        return try await ClientBootstrap(group: group)
            .connectTimeout(connectTimeout)
            .connect(host: host, port: port) { ch in
                ch.eventLoop.makeCompletedFuture {
                    if let tls { try ch.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: host)) }
                    try ch.pipeline.syncOperations.addHandlers(IdleStateHandler(readTimeout: readTimeout), CloseOnReadTimeout())
                    try ch.pipeline.syncOperations.addHandler(ByteToMessageHandler(framing))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: ch)
                }
            }
    }

    /// STARTTLS once the server said go ahead: TLS goes in front of the framing, on the
    /// channel's own loop (handlers are not Sendable).
    func startTLS(on channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws {
        let context = try tlsContext()
        let raw = channel.channel, host = self.host
        try await raw.eventLoop.submit {
            try raw.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: host), position: .first)
        }.get()
    }
}
