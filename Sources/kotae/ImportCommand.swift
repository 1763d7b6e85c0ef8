import ArgumentParser
import Foundation
import KotaeServer

#if canImport(Glibc)
    import Glibc
#endif

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import mail (an mbox file, a Maildir, or a folder of .eml files) into an email inbox.",
        discussion: """
            Each message is taken in as if it had just arrived: read, threaded and stored once (by \
            Message-ID, or by content), so importing the same mailbox again adds nothing. Mail from \
            the inbox's own addresses is skipped.
            """)
    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("inbox"), help: "The email inbox's id (Settings › Inboxes).") var inbox: Int64
    @Argument(help: "An mbox file, a Maildir (with cur/ and new/), or a folder of .eml files.") var path: String

    func run() async throws {
        let config = try await store.config()
        let bar = ProgressBar(toTerminal: isatty(2) == 1)
        let summary: MailImport.Summary
        do {
            summary = try await MailImport.run(config: config, inboxId: inbox, path: path) { done, total in bar.show(done, total) }
        } catch let failure as MailImport.Failure {
            throw ValidationError(failure.description)
        }
        bar.finish()
        let rate = summary.seconds > 0 ? Double(summary.total) / summary.seconds : 0
        print(
            """
            Imported \(summary.imported) from the \(summary.source) in \(String(format: "%.1f", summary.seconds)) s \
            (\(String(format: "%.0f", rate)) emails/s).
              duplicates (already in the inbox): \(summary.duplicates)
              skipped (from the inbox's own address): \(summary.dropped)
              stored with warnings (best-effort text, see the message): \(summary.withWarnings)
            """)
    }
}

/// `[#####.....] 1,234 / 5,000` on the terminal's error stream, redrawn in place; when the
/// error stream is not a terminal, one line per tenth.
final class ProgressBar: @unchecked Sendable {
    private let toTerminal: Bool
    private let lock = NSLock()
    private var lastTenth = -1

    init(toTerminal: Bool) { self.toTerminal = toTerminal }

    func show(_ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        guard total > 0 else { return }
        let width = 30
        let filled = done * width / total
        if toTerminal {
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(done) / \(total)".utf8))
        } else if done * 10 / total != lastTenth {
            lastTenth = done * 10 / total
            FileHandle.standardError.write(Data("\(done) / \(total)\n".utf8))
        }
    }

    func finish() {
        if toTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
