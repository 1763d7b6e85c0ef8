import Foundation
import KotaeChannels

#if canImport(Glibc)
    import Glibc
#endif

/// A real IMAP server for a test (`Tests/mail/imap_server.py`): Dovecot on loopback with
/// STARTTLS and implicit TLS on a certificate made for the test, user "shop" signing in by
/// password or by an OAuth 2.0 token its introspection endpoint knows. Mail is delivered
/// as an MDA does it: a file written into the Maildir, which Dovecot then announces.
public final class IMAPTestServer: @unchecked Sendable {
    public let directory: URL
    public let imapPort: Int
    public let imapsPort: Int
    public let certificatePEM: String
    public let user = "shop"
    public let password = "secret"
    private let server: ChildProcess
    private var delivered = 0

    public init(idle: Bool = true) async throws {
        directory = try TestServerProcess.folder("kotae-imap")
        let (cert, key, pem) = try await TestServerProcess.certificate(in: directory)
        certificatePEM = pem
        let (server, ready) = try await TestServerProcess.start(
            "mail/imap_server.py", ["--dir", directory.path, "--cert", cert.path, "--key", key.path] + (idle ? [] : ["--no-idle"]), in: directory)
        self.server = server
        guard ready.count == 2, let imap = Int(ready[0]), let imaps = Int(ready[1]) else {
            throw TestServerProcess.Failed("the IMAP test server gave no ports: \(ready)")
        }
        (imapPort, imapsPort) = (imap, imaps)
    }

    deinit { stop() }

    /// Stops Dovecot (its helper stops it on SIGTERM).
    public func stop() { server.end(grace: .seconds(10)) }

    /// The server with STARTTLS, trusting the test's certificate.
    public var startTLS: MailServer { MailServer(host: "localhost", port: imapPort, security: .starttls, trustedCertificatePEM: certificatePEM) }
    /// The server with implicit TLS.
    public var implicitTLS: MailServer { MailServer(host: "localhost", port: imapsPort, security: .tls, trustedCertificatePEM: certificatePEM) }

    /// Makes `token` an active OAuth 2.0 access token for `user` at the introspection endpoint.
    public func allow(token: String, for user: String = "shop") throws {
        let handle = try FileHandle(forWritingTo: directory.appendingPathComponent("tokens"))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\(token) \(user)\n".utf8))
    }

    /// Delivers `raw` into `folder` (INBOX, or a Maildir++ folder created as needed).
    public func deliver(_ raw: String, folder: String = "INBOX") throws {
        let maildir = directory.appendingPathComponent("home/shop/Maildir" + (folder == "INBOX" ? "" : "/.\(folder)"))
        let owner = getpwnam("dovecot")!.pointee
        for sub in ["", "cur", "new", "tmp"] {
            let dir = maildir.appendingPathComponent(sub)
            if !FileManager.default.fileExists(atPath: dir.path) {
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                chown(dir.path, owner.pw_uid, owner.pw_gid)
            }
        }
        delivered += 1
        let name = "\(Int(Date().timeIntervalSince1970)).M\(delivered)P\(getpid()).kotae-test"
        let temporary = maildir.appendingPathComponent("tmp/\(name)")
        try Data(raw.utf8).write(to: temporary)
        chown(temporary.path, owner.pw_uid, owner.pw_gid)
        // A rename into new/ is how a Maildir delivery becomes visible, whole, at once.
        try FileManager.default.moveItem(at: temporary, to: maildir.appendingPathComponent("new/\(name)"))
    }

    /// Gives `folder` a new UIDVALIDITY, as a server migration or a restored mailbox does.
    public func changeUIDValidity(to value: UInt32, folder: String = "INBOX") async throws {
        try await TestServerProcess.run(
            [
                "doveadm", "-c", directory.appendingPathComponent("dovecot.conf").path, "mailbox", "update", "-u", user, "--uid-validity", "\(value)",
                folder,
            ],
            in: directory)
    }
}
