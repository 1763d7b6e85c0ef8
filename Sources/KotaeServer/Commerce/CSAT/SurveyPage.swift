import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// `/survey/{token}`: the customer's page to rate the answer they got, 1 to 5, with an
/// optional comment; one answer per survey. A plain HTML form (no script, no third-party
/// resource), in Japanese or English. Someone signed in to Kotae (an agent) is not let in:
/// the rating is the customer's.
struct SurveyPage {
    let app: AppServices

    func addRoutes(to router: Router<AppRequestContext>) {
        // Finds a signed-in caller (to turn them away); anyone else is the customer.
        let pages = router.group().add(middleware: AuthMiddleware(store: app.store, maxBodyBytes: app.config.maxBodyBytes))
        pages.get("survey/:token", use: show)
        pages.post("survey/:token", use: submit)
    }

    private func words(_ request: Request) -> (String) -> String {
        let lang = WebStrings.language(user: (try? request.formQuery())?["lang"].map(String.init), acceptLanguage: request.headers[.acceptLanguage])
        return { WebStrings.text($0, lang) }
    }

    private func page(_ body: String, _ t: (String) -> String, status: HTTPResponse.Status = .ok) -> Response {
        let html = """
            <!doctype html><html lang="\(t("lang_code"))"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>\(HTMLSanitizer.escapeText(t("survey_title")))</title><style>body{font:16px system-ui;max-width:30rem;margin:2rem auto;padding:0 1rem}
            fieldset{border:0;padding:0;display:flex;gap:.5rem;flex-wrap:wrap}label.rate{border:1px solid #999;border-radius:6px;padding:.5rem .9rem}
            textarea{width:100%;font:inherit}button{margin-top:1rem;padding:.6rem 1.2rem;font:inherit}</style>
            </head><body><h1>\(HTMLSanitizer.escapeText(t("survey_title")))</h1>\(body)</body></html>
            """
        return Response(status: status, headers: SetupPage.headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    enum Found {
        case survey(CSATSurvey)
        /// The page that says why there is none to answer.
        case refusal(Response)
    }

    /// The survey a request's token names, or the page that says why there is none.
    private func survey(_ request: Request, _ context: AppRequestContext, _ t: (String) -> String) async throws -> Found {
        if context.identity != nil {
            return .refusal(page("<p role=\"alert\">\(HTMLSanitizer.escapeText(t("survey_agent")))</p>", t, status: .forbidden))
        }
        let token = try context.parameters.require("token")
        guard let id = app.surveyLinks.survey(token), let survey = try await app.store.surveys.find(id: id), survey.state != .scheduled else {
            return .refusal(page("<p role=\"alert\">\(HTMLSanitizer.escapeText(t("survey_unknown")))</p>", t, status: .notFound))
        }
        if survey.state == .answered { return .refusal(page("<p>\(HTMLSanitizer.escapeText(t("survey_already")))</p>", t, status: .conflict)) }
        guard survey.state == .sent else {
            return .refusal(page("<p role=\"alert\">\(HTMLSanitizer.escapeText(t("survey_unknown")))</p>", t, status: .notFound))
        }
        return .survey(survey)
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let t = words(request)
        if case .refusal(let why) = try await survey(request, context, t) { return why }
        let token = HTMLSanitizer.escapeText(try context.parameters.require("token"))
        let choices = (1...5).map { n in
            "<label class=\"rate\"><input type=\"radio\" name=\"rating\" value=\"\(n)\" required> \(n) \(HTMLSanitizer.escapeText(t("survey_\(n)")))</label>"
        }.joined()
        return page(
            """
            <p>\(HTMLSanitizer.escapeText(t("survey_question")))</p>
            <form method="post" action="/survey/\(token)"><fieldset><legend>\(HTMLSanitizer.escapeText(t("survey_rating")))</legend>\(choices)</fieldset>
            <p><label for="comment">\(HTMLSanitizer.escapeText(t("survey_comment")))</label><br><textarea id="comment" name="comment" rows="4" maxlength="2000"></textarea></p>
            <button type="submit">\(HTMLSanitizer.escapeText(t("survey_send")))</button></form>
            """, t)
    }

    func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let t = words(request)
        let answering: CSATSurvey
        switch try await survey(request, context, t) {
        case .refusal(let why): return why
        case .survey(let found): answering = found
        }
        let fields = try await request.formBody()
        guard let rating = fields["rating"].flatMap(Int.init), (1...5).contains(rating) else {
            return page("<p role=\"alert\">\(HTMLSanitizer.escapeText(t("survey_pick")))</p>", t, status: .unprocessableContent)
        }
        let comment = fields["comment"].map { String($0.trimmingCharacters(in: .whitespacesAndNewlines).prefix(2000)) }.flatMap {
            $0.isEmpty ? nil : $0
        }
        let rules =
            app.automation.has(.csatReceived) ? RunAutomation(trigger: .csatReceived, conversationId: answering.conversationId, rating: rating) : nil
        guard try await app.store.surveys.answer(id: answering.id, rating: rating, comment: comment, then: rules, now: app.clock.now) != nil else {
            return page("<p>\(HTMLSanitizer.escapeText(t("survey_already")))</p>", t, status: .conflict)
        }
        // A poor rating brings the conversation back, so a person looks at it again.
        if rating <= 2,
            let reopened = try? await app.store.conversations.change(
                conversationId: answering.conversationId, .status(.open, reason: nil), actor: nil)
        {
            app.hub.publish(.conversationUpdated(reopened.id, inbox: reopened.inboxId))
        }
        if rules != nil { app.inbound.pipeline.wake.poke() }
        return page("<p>\(HTMLSanitizer.escapeText(t("survey_thanks")))</p>", t)
    }
}
