import Foundation
import KotaeCore
import KotaeStore
import Logging
import ServiceLifecycle

/// Sends each satisfaction survey when its delay after the resolution is over: on the
/// customer's channel within its route, with a link to a page on Kotae's public address.
/// Cancelled when the conversation was reopened first; skipped, saying why, when the channel
/// does not allow a message then or Kotae has no public address for the link.
struct SurveyService: Service {
    let app: AppServices
    /// "Now" for the surveys (a test sets it); the app's clock otherwise.
    var clock: AppClock? = nil
    var interval: Duration = .seconds(60)

    private var now: Date { (clock ?? app.clock).now }

    static let textSetting = "csat_text"
    static let defaultText = "{contact.name} 様、今回の対応はいかがでしたか？ 1〜5 でお聞かせください（回答は一度だけです）: {link}"

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await sendDue() } catch { app.logger.warning("surveys could not be sent", metadata: ["error": "\(error)"]) }
            try? await cancelWhenGracefulShutdown { try await app.clock.sleep(for: interval) }
        }
    }

    func sendDue() async throws {
        let store = app.store
        for survey in try await store.surveys.due(at: now) {
            guard let c = try await store.conversations.conversation(id: survey.conversationId) else { continue }
            if c.status != .resolved {
                _ = try await store.surveys.close(survey, .cancelled, note: "the conversation was reopened")
                continue
            }
            guard let link = app.surveyLinks.url(for: survey.id) else {
                _ = try await store.surveys.close(survey, .skipped, note: "Kotae has no public address (KOTAE_PUBLIC_URL) for the survey's link")
                continue
            }
            if let why = try await app.channels.unpromptedRefusal(for: c) {
                _ = try await store.surveys.close(survey, .skipped, note: why)
                continue
            }
            let contact = try await store.contacts.contact(id: c.contactId)
            let text = CannedTemplate(try await store.setting(Self.textSetting) ?? Self.defaultText).render([
                "contact.name": contact?.name ?? "", "link": link,
            ])
            if try await store.surveys.send(survey, text: text, now: now) {
                app.hub.publish(.conversationUpdated(c.id, inbox: c.inboxId))
            }
        }
    }
}
