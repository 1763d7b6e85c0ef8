import Foundation
import HTTPTypes
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

@testable import KotaeServer

/// What Kotae sends by itself and the agents' limit, set by an admin through the API and the
/// settings page instead of the database: used at once, checked whole.
@Suite struct WorkspaceSettingsTests {
    @Test func theDefaultsThenAnAdminsChangeAreWhatKotaeUses() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            let (_, defaults) = try await app.admin(.get, "/api/v1/settings/workspace")
            #expect(defaults["followUpDays"] as? Double == 5 && defaults["surveyDelayMinutes"] as? Double == 60)
            #expect(defaults["surveysEnabled"] as? Bool == true && defaults["agentLimitYen"] as? Double == 5000)
            #expect((defaults["surveyText"] as? String)?.contains("{link}") == true)

            let (status, saved) = try await app.admin(
                .patch, "/api/v1/settings/workspace", jsonString(["surveyDelayMinutes": 120, "agentLimitYen": 8000, "followUpDays": 3]))
            #expect(status == .ok && saved["surveyDelayMinutes"] as? Double == 120)
            // The survey after a resolution is due two hours later now.
            let conversation = try await OrdersPanelTests.mail(app, "ありがとうございました")
            let (reply, _) = try await app.store.conversations.reply(conversationId: conversation, text: "どういたしまして", author: app.agent.id)
            try await app.store.conversations.setDelivery(messageId: reply.id, state: .sent, error: nil, externalId: "o-\(reply.id)", at: Date())
            #expect(try await app.admin(.post, "/api/v1/conversations/\(conversation)/status", #"{"status":"resolved"}"#).0 == .ok)
            let survey = try #require(try await app.store.surveys.of(conversationId: conversation).first)
            #expect(abs(survey.dueAt.timeIntervalSince(survey.resolvedAt) - 7200) < 1)
            let service = OrderActionService(store: app.store, connections: app.services.commerce, clock: .system, wake: {})
            #expect(try await service.limit() == 8000)
            #expect(try await app.store.setting(DeliveryFollowUpService.daysSetting) == "3")
            // Surveys off: a resolution schedules none.
            _ = try await app.admin(.patch, "/api/v1/settings/workspace", #"{"surveysEnabled":false}"#)
            let other = try await OrdersPanelTests.mail(app, "了解です", from: "jiro@example.jp")
            #expect(
                try await app.admin(.post, "/api/v1/conversations/\(other)/status", #"{"status":"resolved","reason":"no_answer_needed"}"#).0 == .ok)
            _ = try await app.admin(.post, "/api/v1/conversations/\(other)/status", #"{"status":"open"}"#)
            let (reply2, _) = try await app.store.conversations.reply(conversationId: other, text: "はい", author: app.agent.id)
            try await app.store.conversations.setDelivery(messageId: reply2.id, state: .sent, error: nil, externalId: "o-\(reply2.id)", at: Date())
            #expect(try await app.admin(.post, "/api/v1/conversations/\(other)/status", #"{"status":"resolved"}"#).0 == .ok)
            #expect(try await app.store.surveys.of(conversationId: other).isEmpty)
            // The page shows what is set.
            let page = String(buffer: try await app.request(.get, "/settings/workspace", token: app.adminToken).body)
            #expect(page.contains(#"name="agentLimitYen" data-type="number" value="8000""#))
        }
    }

    @Test func aChangeThatCannotWorkIsRefusedWholeWithItsField() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            let (_, before) = try await app.admin(.get, "/api/v1/settings/workspace")
            for (body, field): ([String: Any], String) in [
                (["surveyText": "ご評価ください", "followUpDays": 3], "surveyText"),
                (["followUpDays": 0], "followUpDays"),
                (["agentLimitYen": -1], "agentLimitYen"),
                (["surveyDelayMinutes": 20_000], "surveyDelayMinutes"),
                (["followUpText": "  "], "followUpText"),
            ] {
                let (status, out) = try await app.admin(.patch, "/api/v1/settings/workspace", jsonString(body))
                #expect(status == .unprocessableContent && out["field"] as? String == field, "\(body): \(out)")
            }
            let (_, after) = try await app.admin(.get, "/api/v1/settings/workspace")
            #expect(NSDictionary(dictionary: before) == NSDictionary(dictionary: after), "nothing of a refused change is stored")
            #expect(
                try await app.request(.patch, "/api/v1/settings/workspace", token: app.agentToken, json: #"{"followUpDays":2}"#).status == .forbidden)
        }
    }
}
