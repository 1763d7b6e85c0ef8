import Foundation
import KotaeChannels
import Logging
import ServiceLifecycle

/// The SMTP and LMTP listeners `kotae serve` opens when configured (`KOTAE_MAIL_SMTP_PORT`,
/// `KOTAE_MAIL_LMTP_PORT`), on worker instances, for an MTA that relays or forwards the
/// shop's mail to Kotae.
struct MailListeners: Service {
    let app: AppServices
    let listeners: [(MailListener, port: Int)]
    let host: String

    init(app: AppServices) {
        self.app = app
        let config = app.config
        let name = URL(string: config.baseURL)?.host ?? "kotae.local"
        host = config.mailListenHost
        listeners = [(MailListener.Dialect.smtp, config.mailSMTPPort), (.lmtp, config.mailLMTPPort)].compactMap { dialect, port in
            port.map { (MailListener(dialect: dialect, hostname: name, maxMessageBytes: config.mailMaxBytes), $0) }
        }
    }

    func run() async throws {
        let delivery = InboxMailDelivery(app: app)
        let logger = app.logger
        // Stopping is the end of the work, not a failure: a service that throws at shutdown
        // makes the group cancel the others instead of stopping them in order.
        do {
            try await runListeners(delivery, logger)
        } catch is CancellationError {}
    }

    private func runListeners(_ delivery: InboxMailDelivery, _ logger: Logger) async throws {
        try await cancelWhenGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                for (listener, port) in listeners {
                    group.addTask {
                        try await listener.run(host: host, port: port, delivery: delivery) { [app] bound in
                            app.mailListenerPorts.withLock { $0[listener.dialect] = bound }
                            logger.info("mail listener ready", metadata: ["protocol": "\(listener.dialect.rawValue)", "address": "\(host):\(bound)"])
                        }
                    }
                }
            }
        }
    }
}
