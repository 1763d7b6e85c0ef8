import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

/// Graph's throttles (4 app, 17 user, 32 page, 613 call rate, 80000s business use case) are
/// waited out the way Meta asks: as long as its usage headers say, or backing off from a
/// minute, so a reply survives an hour-long throttle instead of failing after minutes.
extension FacebookTests {
    /// A reply on a fresh Messenger conversation; returns the conversation and the message.
    func replyWhileThrottled(_ app: TestApp, _ inbox: Int64, psid: String) async throws -> (conversation: Int64, message: Int64) {
        #expect(try await deliver(app, inbox, messenger(psid, mid: "m_\(psid)", text: "届いていません")) == .ok)
        let c = try #require(try await inbound(app).first { $0.text == "届いていません" && $0.externalId == "fb:m:m_\(psid)" }).conversationId
        let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "確認します"]))
        return (c, int(out["message"], "id"))
    }

    /// The message's delivery job once its failed attempt is recorded (the runner records it
    /// just after the message shows the error).
    func waitingDeliveryJob(_ app: TestApp, message: Int64) async throws -> Job? {
        let find = {
            try await app.store.jobs.list().first {
                $0.kind == DeliverMessage.kind && (try? $0.payload(as: DeliverMessage.self))?.messageId == message
            }
        }
        _ = try await eventually { try await find()?.state == .queued }
        return try await find()
    }

    @Test(arguments: [
        ("error-4-app-rate-limit.doc-example.json", 4), ("error-32-page-rate-limit.doc-example.json", 32),
        ("error-613-rate-limit.doc-example.json", 613), ("", 17),
    ])
    func eachThrottleWaitsAtLeastHalfAMinuteAndTheReplyStaysQueued(fixture: String, code: Int) async throws {
        try await withPage { app, graph, inbox in
            if fixture.isEmpty {
                try graph.fail(code: 17, message: "(#17) User request limit reached")  // not in the corpus: the same body, code 17
            } else {
                try graph.fail(with: [fixture])
            }
            let before = Date()
            let (c, id) = try await replyWhileThrottled(app, inbox, psid: "60000000000017\(code)")
            #expect(
                try await eventually { try await app.store.conversations.message(id: id)?.deliveryError?.contains("Graph error \(code)") == true })
            let message = try #require(try await app.store.conversations.message(id: id))
            #expect(message.deliveryState == .queued, "a throttle never fails the reply")
            let job = try #require(try await waitingDeliveryJob(app, message: id))
            #expect(job.state == .queued && job.attempts == 1)
            // The first wait is a minute, jittered down to no less than half of it.
            #expect(job.runAt >= before.addingTimeInterval(29) && job.runAt <= Date().addingTimeInterval(61), "next try at \(job.runAt)")
            #expect(graph.requests.filter { $0.path.hasSuffix("/messages") }.count == 1, "nothing hammered meanwhile")
            // The agent sees that it waits and will go by itself.
            let page = String(buffer: try await app.request(.get, "/conversations/\(c)", token: app.agentToken).body)
            #expect(page.contains("送信制限のため待機中"))
        }
    }

    /// `X-Business-Use-Case-Usage` names the wait in minutes; Kotae waits that long, then sends.
    @Test func aBusinessUseCaseThrottleWaitsAsLongAsMetaSaysThenSends() async throws {
        try await withPage { app, graph, inbox in
            let usage =
                #"{"105000000000001":[{"type":"messenger","call_count":100,"total_cputime":31,"total_time":40,"estimated_time_to_regain_access":19}]}"#
            try graph.fail(
                code: 80006, message: "There have been too many messenger api calls to this Page account. Wait a bit and try again.",
                headers: ["X-Business-Use-Case-Usage": usage, "X-App-Usage": #"{"call_count":12,"total_cputime":3,"total_time":5}"#])
            let before = Date()
            let (_, id) = try await replyWhileThrottled(app, inbox, psid: "6000000000080006")
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryError?.contains("Graph error 80006") == true })
            let job = try #require(try await waitingDeliveryJob(app, message: id))
            #expect(
                job.runAt >= before.addingTimeInterval(19 * 60 - 1) && job.runAt <= Date().addingTimeInterval(19 * 60 + 1), "next try at \(job.runAt)"
            )
            #expect(graph.requests.filter { $0.path.hasSuffix("/messages") }.count == 1)

            // Nineteen minutes later (the job made due, as the clock would): it goes, once.
            try await app.store.jobs.retry(id: job.id)
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .sent })
            #expect(try await app.store.conversations.message(id: id)?.deliveryError == nil)
            let sends = graph.requests.filter { $0.path.hasSuffix("/messages") }
            #expect(sends.count == 2 && sends[1].json["messaging_type"] as? String == "RESPONSE")
        }
    }

    /// A server fault is not a throttle: it is retried within seconds, as any other.
    @Test func aGraphServerFaultIsRetriedSoonNotAfterAMinute() async throws {
        try await withPage { app, graph, inbox in
            try graph.fail(code: 2, message: "An unexpected error has occurred. Please retry your request later.", status: 500)
            let (_, id) = try await replyWhileThrottled(app, inbox, psid: "6000000000000002")
            #expect(try await eventually(timeout: 20) { try await app.store.conversations.message(id: id)?.deliveryState == .sent })
            #expect(graph.requests.filter { $0.path.hasSuffix("/messages") }.count == 2)
        }
    }

    /// Liking while the page is throttled says so and when to try again; nothing is marked liked.
    @Test func aThrottledLikeAnswers429WithTheWait() async throws {
        try await withPage { app, graph, inbox in
            #expect(try await deliver(app, inbox, try FakeGraph.fixtureData("page-feed-comment-add.doc-example.json")) == .ok)
            let comment = try #require(try await inbound(app).first { $0.externalId?.hasPrefix("fb:c:") == true })
            try graph.fail(
                code: 32, message: "(#32) Page request limit reached",
                headers: [
                    "X-Business-Use-Case-Usage":
                        #"{"105000000000001":[{"type":"pages","call_count":104,"total_cputime":2,"total_time":3,"estimated_time_to_regain_access":4}]}"#
                ])
            let r = try await app.request(.post, "/api/v1/messages/\(comment.id)/like", token: app.agentToken)
            #expect(r.status == .tooManyRequests)
            #expect(r.headers[.retryAfter] == "240")
            #expect(String(buffer: r.body).contains("about 4 min"))
            #expect(try await app.store.conversations.message(id: comment.id)?.likedAt == nil)
        }
    }

    @Test func usageHeadersAreReadAsMetaDocumentsThem() {
        let headers = [
            "X-App-Usage": #"{"call_count":28,"total_time":25,"total_cputime":25}"#,
            "X-Business-Use-Case-Usage":
                #"{"112130216863063":[{"type":"pages","call_count":96,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":0},{"type":"messenger","call_count":100,"total_cputime":9,"total_time":9,"estimated_time_to_regain_access":7}]}"#,
        ]
        let usage = GraphUsage { name in headers.first { $0.key.lowercased() == name.lowercased() }?.value }
        #expect(usage == GraphUsage(percent: 100, regainAccessAfter: 7 * 60))
        #expect(GraphUsage { _ in "not json" } == GraphUsage())
        #expect(GraphUsage { $0 == "X-App-Usage" ? #"{"call_count":12}"# : nil } == GraphUsage(percent: 12))
    }
}
