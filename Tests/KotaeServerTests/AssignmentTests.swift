import Clocks
import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

@testable import KotaeServer

/// Automatic assignment: a new conversation goes to the agent online and under capacity with
/// the fewest open conversations (the one given one longest ago among equals); nobody online
/// with room leaves it unassigned; an agent offline longer than the setting has their waiting
/// conversations moved on. Presence is what any instance wrote down.
@Suite struct AssignmentTests {
    static func agent(_ app: TestApp, _ name: String) async throws -> Int64 {
        let (status, out) = try await app.admin(
            .post, "/api/v1/users",
            jsonString(["email": "\(UUID().uuidString.prefix(8))@shop.jp", "name": name, "role": "agent", "password": "long-enough"]))
        try #require(status == .created, "\(out)")
        return (out["id"] as! NSNumber).int64Value
    }

    static func assignee(_ app: TestApp, _ conversation: Int64) async throws -> Int64? {
        try await app.store.conversations.conversation(id: conversation)?.assigneeId
    }

    static func customer(_ app: TestApp, inbox: Int64, _ who: String) async throws -> Int64 {
        let (_, out) = try await app.ingest(inbox: inbox, externalId: UUID().uuidString, contact: who, name: who, text: "商品について質問があります")
        return (out["conversationId"] as! NSNumber).int64Value
    }

    @Test func theFewestOpenFirstRoundRobinAmongEqualsAndCapacityKept() async throws {
        let clock = TestClock<Duration>()
        try await withTestApp(clock: .test(clock), configure: { $0.role = .web }) { app in
            let now = { app.services.clock.now }
            let inbox = try await app.makeInbox()
            let other = try await app.makeInbox()
            let (saved, _) = try await app.admin(.patch, "/api/v1/settings/workspace", jsonString(["autoAssignInboxIds": [inbox]]))
            #expect(saved == .ok)
            let aoi = try await Self.agent(app, "青井"), ben = try await Self.agent(app, "弁野"), kou = try await Self.agent(app, "幸田")
            #expect(try await app.admin(.put, "/api/v1/assignment/agents/\(ben)", #"{"capacity":1}"#).0 == .ok)
            // 青井 and 弁野 have Kotae open; 幸田 was last seen ten minutes ago.
            try await app.store.assignments.markSeen([kou], at: now().addingTimeInterval(-600))
            try await app.store.assignments.markSeen([aoi, ben], at: now())

            let first = try await Self.customer(app, inbox: inbox, "客1")
            let second = try await Self.customer(app, inbox: inbox, "客2")
            let third = try await Self.customer(app, inbox: inbox, "客3")
            // Equal (none open): 青井 first; then 弁野, who now has fewer; then 弁野 is full.
            #expect(try await Self.assignee(app, first) == aoi)
            #expect(try await Self.assignee(app, second) == ben)
            #expect(try await Self.assignee(app, third) == aoi)
            // An inbox that does not assign leaves its conversations to the agents.
            #expect(try await Self.assignee(app, try await Self.customer(app, inbox: other, "客4")) == nil)
            // 青井 resolves one: both hold one open, 弁野 is at capacity, so 青井 again.
            _ = try await app.store.conversations.change(conversationId: first, .status(.resolved, reason: .noAnswerNeeded), actor: aoi)
            #expect(try await Self.assignee(app, try await Self.customer(app, inbox: inbox, "客5")) == aoi)
            // Room again for 弁野, with fewer open: theirs.
            #expect(try await app.admin(.put, "/api/v1/assignment/agents/\(ben)", #"{"capacity":null}"#).0 == .ok)
            #expect(try await Self.assignee(app, try await Self.customer(app, inbox: inbox, "客6")) == ben)

            let (_, list) = try await app.admin(.get, "/api/v1/assignment/agents")
            let agents = try #require(list["agents"] as? [[String: Any]])
            let byId = Dictionary(uniqueKeysWithValues: agents.map { (($0["userId"] as! NSNumber).int64Value, $0) })
            #expect(byId[aoi]?["online"] as? Bool == true && byId[kou]?["online"] as? Bool == false)
            #expect(byId[aoi]?["open"] as? Int == 2 && byId[ben]?["open"] as? Int == 2)
            // The users page says who is at their desk, what they hold and their capacity.
            let users = String(buffer: try await app.request(.get, "/settings/users", token: app.adminToken).body)
            #expect(users.contains(#"<span class="presence-state online">オンライン</span> <span class="open-count">担当中 2件</span>"#))
            #expect(users.contains(#"id="capacity-\#(kou)" name="capacity" data-type="json" value="""#))
            // Both closed Kotae ten minutes ago: nobody is given it.
            try await app.store.assignments.markSeen([aoi, ben], at: Date().addingTimeInterval(-600))
            #expect(try await Self.assignee(app, try await Self.customer(app, inbox: inbox, "客7")) == nil)
        }
    }

    @Test func anAgentOfflineLongerThanTheSettingHasTheirWaitingConversationsMovedOn() async throws {
        let clock = TestClock<Duration>()
        try await withTestApp(clock: .test(clock), configure: { $0.role = .web }) { app in
            let now = { app.services.clock.now }
            let inbox = try await app.makeInbox()
            _ = try await app.admin(.patch, "/api/v1/settings/workspace", jsonString(["autoAssignInboxIds": [inbox], "assignOfflineMinutes": 10]))
            let aoi = try await Self.agent(app, "青井"), ben = try await Self.agent(app, "弁野")
            try await app.store.assignments.markSeen([aoi], at: now())
            let waiting = try await Self.customer(app, inbox: inbox, "客1")
            let answered = try await Self.customer(app, inbox: inbox, "客2")
            #expect(try await Self.assignee(app, waiting) == aoi)
            #expect(try await Self.assignee(app, answered) == aoi)
            let (reply, _) = try await app.store.conversations.reply(conversationId: answered, text: "ご確認します", author: aoi)
            try await app.store.conversations.setDelivery(messageId: reply.id, state: .sent, error: nil, externalId: "o-\(reply.id)", at: now())

            let keeper = AssignmentKeeper(store: app.store, hub: app.services.hub, clock: app.services.clock, logger: app.services.logger)
            // 青井 closes Kotae; 弁野 opens it. Nine minutes: not yet.
            await clock.advance(by: .seconds(9 * 60))
            try await app.store.assignments.markSeen([ben], at: now())
            #expect(try await keeper.pass() == 0)
            // Eleven: the customer still waiting moves to 弁野; the answered one stays.
            await clock.advance(by: .seconds(2 * 60))
            try await app.store.assignments.markSeen([ben], at: now())
            #expect(try await keeper.pass() == 1)
            #expect(try await Self.assignee(app, waiting) == ben)
            #expect(try await Self.assignee(app, answered) == aoi)
            let page = String(buffer: try await app.request(.get, "/conversations/\(waiting)", token: app.adminToken).body)
            #expect(page.contains("青井 さんが10分以上オフラインのため、弁野 さんに割り当て直しました"))
            #expect(try await app.store.notifications(userId: ben).map(\.0.kind) == [.assigned])
            // Nobody else online with room: it stays where it is.
            await clock.advance(by: .seconds(20 * 60))
            #expect(try await keeper.pass() == 0)
        }
    }

    @Test func assignmentSettingsThatCannotWorkAreRefused() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            for (body, field): ([String: Any], String) in [
                (["autoAssignInboxIds": [999]], "autoAssignInboxIds"), (["assignOfflineMinutes": 0], "assignOfflineMinutes"),
            ] {
                let (status, out) = try await app.admin(.patch, "/api/v1/settings/workspace", jsonString(body))
                #expect(status == .unprocessableContent && out["field"] as? String == field, "\(body): \(out)")
            }
            let (status, out) = try await app.admin(.put, "/api/v1/assignment/agents/\(app.agent.id)", #"{"capacity":-1}"#)
            #expect(status == .unprocessableContent && out["field"] as? String == "capacity")
            #expect(try await app.admin(.put, "/api/v1/assignment/agents/999", #"{"capacity":3}"#).0 == .notFound)
            #expect(try await app.request(.get, "/api/v1/assignment/agents", token: app.agentToken).status == .forbidden)
        }
    }
}
