import Foundation
import KotaeCore
import KotaeMail
import KotaeStore

/// `kotae import`: an mbox, a Maildir or a folder of `.eml` files into an email inbox, each
/// message through `MailIntake` exactly as if it had just arrived (so a second import of the
/// same mailbox stores nothing twice). Mails are read on every core in batches and stored in
/// order, so a reply finds the mail it answers.
public enum MailImport {
    public struct Summary: Sendable, Equatable {
        public var source: String
        public var imported = 0
        public var duplicates = 0
        /// Not taken in (mail from the inbox's own address), with how many.
        public var dropped = 0
        /// Stored, with best-effort text and a warning on the message.
        public var withWarnings = 0
        public var seconds = 0.0

        public var total: Int { imported + duplicates + dropped }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Imports `path` into inbox `inboxId`; `progress(done, total)` is called as it goes.
    public static func run(
        config: KotaeConfig, inboxId: Int64, path: String, progress: @escaping @Sendable (Int, Int) -> Void
    ) async throws -> Summary {
        guard let kind = MailSource.kind(of: path) else { throw Failure(description: "\(path) does not exist") }
        return try await withOfflineServices(config: config, label: "kotae.import") { app in
            guard let inbox = try await app.store.inboxes.find(id: inboxId) else {
                throw Failure(description: "there is no inbox \(inboxId)")
            }
            guard inbox.channel == .email else {
                throw Failure(description: "inbox \(inboxId) is a \(inbox.channel.rawValue) inbox; mail is imported into an email inbox")
            }
            let intake = MailIntake(app: app)
            return try await importAll(kind: kind, path: path, inbox: inbox, intake: intake, progress: progress)
        }
    }

    static func importAll(
        kind: MailSource.Kind, path: String, inbox: Inbox, intake: MailIntake, progress: @escaping @Sendable (Int, Int) -> Void
    ) async throws -> Summary {
        let started = ContinuousClock.now
        var summary = Summary(source: kind.rawValue)
        // An mbox is read whole (mapped, not copied); other sources one file per message.
        let mbox = kind == .mbox ? MailSource.mboxMessages(Array(try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped))) : []
        let files = MailSource.messageFiles(in: path, kind: kind)
        let total = kind == .mbox ? mbox.count : files.count
        let batch = 256
        var done = 0
        while done < total {
            let range = done..<min(done + batch, total)
            // Read the batch on every core, then store it in order.
            let read = try await withThrowingTaskGroup(of: (Int, [UInt8], MailMessage).self) { group in
                for i in range {
                    group.addTask {
                        let raw = kind == .mbox ? mbox[i] : Array(try Data(contentsOf: URL(fileURLWithPath: files[i])))
                        return (i, raw, MailMessage(parsing: raw))
                    }
                }
                var out: [(Int, [UInt8], MailMessage)] = []
                for try await item in group { out.append(item) }
                return out.sorted { $0.0 < $1.0 }
            }
            // Mails that may belong together (one sender, or one naming another's Message-ID)
            // are stored in order; unrelated ones at the same time.
            let groups = Self.relatedGroups(read.map(\.2))
            let counts = try await withThrowingTaskGroup(of: Summary.self) { group in
                for members in groups {
                    group.addTask {
                        var part = Summary(source: "")
                        for i in members {
                            let (_, raw, mail) = read[i]
                            switch try await intake.receive(mail, raw: raw, inbox: inbox, receivedAt: Date(), live: false) {
                            case .stored(.created, _):
                                part.imported += 1
                                if !mail.warnings.isEmpty { part.withWarnings += 1 }
                            case .stored(.duplicate, _): part.duplicates += 1
                            case .dropped: part.dropped += 1
                            }
                        }
                        return part
                    }
                }
                return try await group.reduce(into: Summary(source: "")) { total, part in
                    total.imported += part.imported
                    total.duplicates += part.duplicates
                    total.dropped += part.dropped
                    total.withWarnings += part.withWarnings
                }
            }
            summary.imported += counts.imported
            summary.duplicates += counts.duplicates
            summary.dropped += counts.dropped
            summary.withWarnings += counts.withWarnings
            done = range.upperBound
            progress(done, total)
        }
        summary.seconds = (ContinuousClock.now - started).seconds
        return summary
    }
}

extension MailImport {
    /// The batch split into groups that must be stored in order (each group's indices
    /// ascending): mails of one sender (a "Re:" threads by sender and subject), and mails that
    /// name each other's Message-ID (a Cc'd person's reply, a copy of the same mail).
    static func relatedGroups(_ mails: [MailMessage]) -> [[Int]] {
        var parent = Array(mails.indices)
        func root(_ i: Int) -> Int {
            var r = i
            while parent[r] != r { r = parent[r] }
            var j = i
            while parent[j] != r { (parent[j], j) = (r, parent[j]) }
            return r
        }
        func join(_ a: Int, _ b: Int) { parent[root(a)] = root(b) }
        var bySender: [String: Int] = [:]
        var byMessageId: [String: Int] = [:]
        for (i, mail) in mails.enumerated() {
            let sender = mail.from.first?.normalized ?? ""
            if let j = bySender[sender] { join(i, j) } else { bySender[sender] = i }
            for id in mail.references + mail.inReplyTo { if let j = byMessageId[id] { join(i, j) } }
            if let id = mail.messageId {
                if let j = byMessageId[id] { join(i, j) } else { byMessageId[id] = i }
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in mails.indices { groups[root(i), default: []].append(i) }
        return groups.values.sorted { $0[0] < $1[0] }
    }
}
