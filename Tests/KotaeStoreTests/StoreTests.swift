import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

@Suite struct StoreTests {
    /// A job kind of the tests' own.
    struct Numbered: JobPayload {
        static let kind = "test"
        var n: Int
    }

    func withStore(_ body: (KotaeStore) async throws -> Void) async throws {
        let db = try await TestDatabase.make()
        defer { db.remove() }
        let store = try await db.openStore()
        do {
            try await body(store)
        } catch {
            await store.db.close()
            throw error
        }
        await store.db.close()
    }

    @Test func migrationsRunOnceAndAreRecorded() async throws {
        try await withStore { store in
            let applied = try await store.db.migrate()
            #expect(applied.isEmpty)  // openStore already migrated
        }
    }

    @Test func ingestIsIdempotentPerInboxAndExternalId() async throws {
        try await withStore { store in
            let a = try await store.inboxes.create(name: "a", channel: .api)
            let b = try await store.inboxes.create(name: "b", channel: .api)
            let m = InboundMessage(identity: ("email", "x@y.jp"), externalId: "same", text: "hi", sentAt: Date())
            guard case .created(let first, _, _) = try await store.conversations.ingest(m, inbox: a) else { Issue.record("not created"); return }
            guard case .duplicate(let again) = try await store.conversations.ingest(m, inbox: a) else { Issue.record("not duplicate"); return }
            #expect(first.id == again.id)
            // The same platform id in another inbox is another message.
            guard case .created(let other, _, _) = try await store.conversations.ingest(m, inbox: b) else { Issue.record("not created in b"); return }
            #expect(other.id != first.id)
            // …from the same contact.
            let c1 = try await store.conversations.conversation(id: first.conversationId)!
            let c2 = try await store.conversations.conversation(id: other.conversationId)!
            #expect(c1.contactId == c2.contactId)
        }
    }

    @Test func concurrentIngestsOfOneNewContactMakeOneContact() async throws {
        try await withStore { store in
            let inbox = try await store.inboxes.create(name: "a", channel: .api)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        _ = try await store.conversations.ingest(
                            InboundMessage(identity: ("line", "U123"), externalId: "m\(i)", text: "こんにちは", sentAt: Date()), inbox: inbox)
                    }
                }
                try await group.waitForAll()
            }
            let contacts = try await store.contacts.list(query: "u123", limit: 10, afterId: nil)
            #expect(contacts.count == 1)
            let page = try await store.conversations.listConversations(ConversationQuery())
            #expect(page.conversations.count == 1)
            #expect(try await store.conversations.messages(conversationId: page.conversations[0].id).count == 40)
        }
    }

    @Test func concurrentRunnersClaimEachJobExactlyOnce() async throws {
        try await withStore { store in
            for i in 0..<200 { try await store.jobs.enqueue(Numbered(n: i)) }
            let claimed = Locked<[Int64]>([])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for r in 0..<6 {
                    group.addTask {
                        while true {
                            let jobs = try await store.jobs.claim(runner: "r\(r)", limit: 7)
                            if jobs.isEmpty { return }
                            for j in jobs {
                                claimed.withLock { $0.append(j.id) }
                                try await store.jobs.complete(id: j.id, attempt: j.attempts)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let ids = claimed.withLock { $0 }
            #expect(ids.count == 200)
            #expect(Set(ids).count == 200)
            #expect(try await store.jobs.runCounts().values.allSatisfy { $0 == 1 })
            #expect(try await store.jobs.depth() == 0)
        }
    }

    @Test func aJobWhoseRunnerDiedIsClaimedAgainAfterItsLease() async throws {
        try await withStore { store in
            try await store.jobs.enqueue(Numbered(n: 0))
            let now = Date()
            let first = try await store.jobs.claim(runner: "dead", limit: 1, lease: 30, now: now)
            #expect(first.count == 1)
            #expect(try await store.jobs.claim(runner: "other", limit: 1, lease: 30, now: now.addingTimeInterval(10)).isEmpty)
            let again = try await store.jobs.claim(runner: "other", limit: 1, lease: 30, now: now.addingTimeInterval(31))
            #expect(again.map(\.id) == first.map(\.id))
            #expect(again[0].attempts == 2)
        }
    }

    @Test func failedJobsRetryThenDie() async throws {
        try await withStore { store in
            try await store.jobs.enqueue(Numbered(n: 0), maxAttempts: 2)
            let now = Date()
            var job = try await store.jobs.claim(runner: "r", limit: 1, now: now)[0]
            #expect(try await store.jobs.fail(job, error: "boom", retryAt: now.addingTimeInterval(5)) == .queued)
            #expect(try await store.jobs.claim(runner: "r", limit: 1, now: now.addingTimeInterval(1)).isEmpty)
            job = try await store.jobs.claim(runner: "r", limit: 1, now: now.addingTimeInterval(6))[0]
            #expect(try await store.jobs.fail(job, error: "boom again", retryAt: now.addingTimeInterval(10)) == .dead)
            let dead = try await store.jobs.list(state: .dead)
            #expect(dead.count == 1 && dead[0].lastError == "boom again")
        }
    }

    @Test func searchGivesTheSameNewestHitsThroughTheRecentWindowAndTheIndex() async throws {
        try await withStore { store in
            let inbox = try await store.inboxes.create(name: "a", channel: .api)
            let texts = ["自転車が届きません", "ＰＡＣＫＡＧＥ lost", "雨の日", "自転車のベル", "晴れ", "the package", "自転車 最高"]
            for (i, t) in texts.enumerated() {
                _ = try await store.conversations.ingest(
                    InboundMessage(identity: ("api", "c\(i)"), externalId: "m\(i)", text: t, sentAt: Date()), inbox: inbox)
            }
            for window in [0, 2, 4, 1000] {
                let bikes = try await store.searchMessages("自転車", limit: 50, recentWindow: window).map(\.text)
                #expect(bikes == ["自転車 最高", "自転車のベル", "自転車が届きません"], "window \(window)")
                let packages = try await store.searchMessages("package", limit: 50, recentWindow: window).map(\.text)
                #expect(packages == ["the package", "ＰＡＣＫＡＧＥ lost"], "window \(window)")
                let two = try await store.searchMessages("自転車", limit: 2, recentWindow: window).map(\.text)
                #expect(two == ["自転車 最高", "自転車のベル"], "window \(window)")
            }
        }
    }

    /// Writes that arrive together are committed as one batch (SQLite), and the search index
    /// is written once per batch: every committed message must be in it exactly once, and a
    /// write that failed inside a batch must not be.
    @Test func everyMessageOfABatchIsSearchableOnceAndAFailedWriteIsNot() async throws {
        try await withStore { store in
            let inbox = try await store.inboxes.create(name: "a", channel: .api)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<120 {
                    group.addTask {
                        _ = try await store.conversations.ingest(
                            InboundMessage(
                                identity: ("api", "c\(i % 7)"), externalId: "m\(i)",
                                text: "配送状況 \(i)", sentAt: Date()), inbox: inbox)
                    }
                }
                group.addTask {
                    // A write that stores a message and then fails: all of it is rolled back.
                    await #expect(throws: StoreError.self) {
                        try await store.db.write { db in
                            try await db.raw(
                                "INSERT INTO messages (conversation_id, inbox_id, kind, text, delivery_state, attachments, created_at) SELECT id, inbox_id, 'inbound', '配送状況 rolled back', 'received', '[]', 0 FROM conversations LIMIT 1"
                            ).run()
                            throw StoreError.conflict("fails after its insert")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let hits = try await store.searchMessages("配送状況", limit: 500, recentWindow: 0)
            #expect(hits.count == 120)
            #expect(Set(hits.map(\.messageId)).count == 120)
            #expect(!hits.contains { $0.text.contains("rolled back") })
        }
    }

    @Test func viewCountsAreExactUpToTheCapThenSayMore() async throws {
        try await withStore { store in
            let inbox = try await store.inboxes.create(name: "a", channel: .api)
            let cap = Conversations.viewCountCap
            for i in 0..<cap {
                _ = try await store.conversations.ingest(
                    InboundMessage(identity: ("api", "c\(i)"), externalId: "m\(i)", text: "質問", sentAt: Date()), inbox: inbox)
            }
            #expect(try await store.conversations.countConversations(ConversationQuery()) == cap)
            for i in cap..<(cap + 5) {
                _ = try await store.conversations.ingest(
                    InboundMessage(identity: ("api", "c\(i)"), externalId: "m\(i)", text: "質問", sentAt: Date()), inbox: inbox)
            }
            #expect(try await store.conversations.countConversations(ConversationQuery()) == cap + 1)
            var resolved = ConversationQuery()
            resolved.statuses = [.resolved]
            #expect(try await store.conversations.countConversations(resolved) == 0)
            // Counted together in one statement, each is what it is alone.
            var labelled = ConversationQuery()
            labelled.label = "x"
            let first = try await store.conversations.listConversations(ConversationQuery()).conversations[0]
            _ = try await store.conversations.change(conversationId: first.id, .labels(add: ["x"], remove: []), actor: nil)
            var unassigned = ConversationQuery()
            unassigned.assignee = .unassigned
            let queries = [ConversationQuery(), resolved, labelled, unassigned]
            var alone: [Int] = []
            for q in queries { alone.append(try await store.conversations.countConversations(q)) }
            #expect(alone == [cap + 1, 0, 1, cap + 1])
            #expect(try await store.conversations.countConversations(queries) == alone)
        }
    }

    /// The message an ingest or a reply answers with is built from what was written; it is
    /// the message a later read finds, field for field.
    @Test func aStoredMessageIsTheOneReadBack() async throws {
        let db = try await TestDatabase.make()
        defer { db.remove() }
        let store = try await db.openStore()
        let inbox = try await store.inboxes.create(name: "a", channel: .api)
        var m = InboundMessage(
            identity: ("api", "c1"), contactName: "佐藤", externalId: "x1", text: "箱が潰れて届きました\n写真を送ります",
            html: "<p>箱が潰れて届きました</p>",
            attachments: [Attachment(sha256: String(repeating: "a", count: 64), filename: "箱.jpg", contentType: "image/jpeg", size: 2048)],
            sentAt: Date(timeIntervalSince1970: 1_795_000_000.123_456_7), timeNote: "sent at 09:00")
        m.details.triage = TriageResult(intent: .defect, confidence: 0.7142857142857143, sentiment: .negative, urgent: true, needsReply: true)
        m.details.postURL = "https://shop.example/p/1"
        let stored = try await store.conversations.ingest(m, inbox: inbox, now: Date(timeIntervalSince1970: 1_795_000_100.987_654_3)).message
        #expect(try await store.conversations.message(id: stored.id) == stored)
        let agent = try await store.accounts.createUser(email: "a@shop.test", name: "A", role: .agent, passwordHash: "x")
        let (reply, _) = try await store.conversations.reply(conversationId: stored.conversationId, text: "申し訳ありません", author: agent.id)
        #expect(try await store.conversations.message(id: reply.id) == reply)
        await store.db.close()
    }

    /// A triage alone is written from JSON made once per value: each message still reads back
    /// with its own triage, whether its value was seen before or not.
    @Test func eachMessageKeepsItsOwnTriage() async throws {
        let db = try await TestDatabase.make()
        defer { db.remove() }
        let store = try await db.openStore()
        let inbox = try await store.inboxes.create(name: "a", channel: .api)
        let late = TriageResult(intent: .whereIsMyOrder, confidence: 0.83, sentiment: .negative, urgent: false, needsReply: true)
        let thanks = TriageResult(intent: .praise, confidence: 0.61, sentiment: .positive, urgent: false, needsReply: false)
        var stored: [(Int64, TriageResult)] = []
        for (n, triage) in [late, late, thanks, late].enumerated() {
            var m = InboundMessage(identity: ("api", "c\(n)"), externalId: "t\(n)", text: "荷物 \(n)", sentAt: Date())
            m.details.triage = triage
            stored.append((try await store.conversations.ingest(m, inbox: inbox).message.id, triage))
        }
        for (id, triage) in stored {
            #expect(try await store.conversations.message(id: id)?.details == MessageDetails(triage: triage))
        }
        await store.db.close()
    }

    /// A task still using the database while the server stops (a job in flight) is told the
    /// database is closed; before, its statement waited for ever on the ended thread and the
    /// process never exited.
    @Test func aStatementAfterCloseFailsInsteadOfWaiting() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kotae-closed-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = try await KotaeDatabase.open(url: "sqlite:\(dir)/k.sqlite", logger: .init(label: "t"))
        try await db.migrate()
        let store = KotaeStore(db: db, secrets: SecretBox(secret: "test-secret"))
        let inbox = try await store.inboxes.create(name: "a", channel: .api)
        await db.close()
        // Left to run on its own: a statement that waits for ever must fail this test, not hang it.
        let outcome = Locked<String?>(nil)
        Task {
            do {
                _ = try await store.conversations.ingest(
                    InboundMessage(identity: ("api", "c"), externalId: "late", text: "閉じた後", sentAt: Date()), inbox: inbox)
                outcome.withLock { $0 = "stored" }
            } catch {
                outcome.withLock { $0 = "\(error)" }
            }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while outcome.withLock({ $0 }) == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try #require(outcome.withLock { $0 }?.contains("the database is closed") == true)
        let read = await #expect(throws: (any Error).self) { try await store.inboxes.all() }
        #expect("\(read.map { "\($0)" } ?? "")".contains("the database is closed"))
    }

    @Test func backupIsAConsistentCopy() async throws {
        let db = try await TestDatabase.make()
        defer { db.remove() }
        guard db.url == nil else { return }  // backup copies SQLite; PostgreSQL uses pg_dump
        let store = try await db.openStore()
        let inbox = try await store.inboxes.create(name: "a", channel: .api)
        let writer = Task {
            for i in 0..<300 {
                _ = try await store.conversations.ingest(
                    InboundMessage(identity: ("api", "c\(i % 9)"), externalId: "b\(i)", text: "バックアップ中 \(i)", sentAt: Date()), inbox: inbox)
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        let copy = db.dataDirectory + "/copy.sqlite"
        try await store.db.backup(to: copy)
        try await writer.value
        await store.db.close()
        let copied = try await KotaeDatabase.open(url: "sqlite:" + copy, logger: .init(label: "t"))
        let backupStore = KotaeStore(db: copied, secrets: SecretBox(secret: "test-secret"))
        let n = try await backupStore.searchMessages("バックアップ中", limit: 1000).count
        let conversations = try await backupStore.conversations.listConversations(ConversationQuery()).conversations
        // Whatever moment it caught, the copy is whole: every message there belongs to a stored conversation.
        var inConversations = 0
        for c in conversations { inConversations += try await backupStore.conversations.messages(conversationId: c.id).count }
        #expect(n == inConversations)
        #expect(try await copied.migrate().isEmpty)
        await copied.close()
    }
}
