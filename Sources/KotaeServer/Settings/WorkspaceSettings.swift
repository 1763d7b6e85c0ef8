import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// The shop's own rules for what Kotae does by itself and what agents may give: the follow-up
/// after a fix, the satisfaction survey, the agents' limit for refunds and gift cards. Each is
/// one stored setting read where it is used; here they are read and written together, typed
/// and checked, for the API and the settings page.
struct WorkspaceSettings: Codable, Sendable, Equatable {
    /// Days after shipping (or after a fix with no parcel) before the follow-up, where no delivery is reported.
    var followUpDays: Double
    var followUpText: String
    var surveysEnabled: Bool
    var surveyDelayMinutes: Double
    var surveyText: String
    /// The most an agent may refund or give without an admin's approval, in yen.
    var agentLimitYen: Double
    /// The shop's IANA time zone: which day reports count each fact in.
    var reportTimeZone: String
    /// Words no reply may contain (the reply checker refuses to send it).
    var forbiddenWords: [String]
    /// SLA warnings, in minutes before the due time (the breach always alerts).
    var slaWarningMinutes: [Double]
    /// The Slack-compatible incoming webhook SLA alerts also go to; "" for none.
    var slaWebhookURL: String
    /// The email inbox that also mails SLA alerts to the people they are for; 0 for none.
    var slaEmailInboxId: Int64
    /// Inboxes whose new conversations are assigned automatically.
    var autoAssignInboxIds: [Int64]
    /// After this long offline, an agent's waiting conversations move on.
    var assignOfflineMinutes: Double
    /// Agents, and inboxes, whose replies wait for a supervisor's approval.
    var approvalUserIds: [Int64]
    var approvalInboxIds: [Int64]

    static func load(_ store: KotaeStore) async throws -> WorkspaceSettings {
        func number(_ key: String) async throws -> Double? { try await store.setting(key).flatMap(Double.init) }
        let escalation = try await EscalationSettings.load(store)
        return WorkspaceSettings(
            followUpDays: try await number(DeliveryFollowUpService.daysSetting) ?? DeliveryFollowUpService.defaultDays,
            followUpText: try await store.setting(DeliveryFollowUpService.textSetting) ?? DeliveryFollowUpService.defaultText,
            surveysEnabled: try await store.setting(CSATSurveys.enabledSetting) != "false",
            surveyDelayMinutes: try await number(CSATSurveys.delaySetting) ?? 60,
            surveyText: try await store.setting(SurveyService.textSetting) ?? SurveyService.defaultText,
            agentLimitYen: try await number(OrderActionService.limitSetting) ?? NSDecimalNumber(decimal: OrderActionService.defaultLimit).doubleValue,
            reportTimeZone: try await store.reports.timeZone().identifier,
            forbiddenWords: try await store.setting(ReplyCheckService.forbiddenSetting).map(ReplyCheckService.words) ?? [],
            slaWarningMinutes: escalation.offsets.map { $0 / 60 }, slaWebhookURL: escalation.webhookURL ?? "",
            slaEmailInboxId: escalation.emailInboxId ?? 0,
            autoAssignInboxIds: try await AssignmentBook.inboxIds(store), assignOfflineMinutes: try await AssignmentBook.offlineMinutes(store),
            approvalUserIds: try await store.ids(Conversations.approvalUsersSetting),
            approvalInboxIds: try await store.ids(Conversations.approvalInboxesSetting))
    }

    /// A stored number as people write it: `3`, not `3.0`.
    static func text(_ n: Double) -> String { n.rounded() == n ? String(Int(n)) : String(n) }

    /// All at once, in one transaction; a new time zone counts every report day again in it.
    func save(_ store: KotaeStore) async throws {
        let text = Self.text
        let values: [String: String?] = [
            DeliveryFollowUpService.daysSetting: text(followUpDays), DeliveryFollowUpService.textSetting: followUpText,
            CSATSurveys.enabledSetting: surveysEnabled ? "true" : "false", CSATSurveys.delaySetting: text(surveyDelayMinutes),
            SurveyService.textSetting: surveyText, OrderActionService.limitSetting: text(agentLimitYen),
            ReplyCheckService.forbiddenSetting: forbiddenWords.isEmpty ? nil : forbiddenWords.joined(separator: "\n"),
            EscalationSettings.offsetsSetting: EscalationSettings.stored(slaWarningMinutes.map { $0 * 60 }),
            EscalationSettings.webhookSetting: slaWebhookURL.isEmpty ? nil : slaWebhookURL,
            EscalationSettings.emailSetting: slaEmailInboxId == 0 ? nil : String(slaEmailInboxId),
            Assignments.inboxesSetting: KotaeStore.stored(ids: autoAssignInboxIds),
            Assignments.offlineSetting: text(assignOfflineMinutes),
            Conversations.approvalUsersSetting: KotaeStore.stored(ids: approvalUserIds),
            Conversations.approvalInboxesSetting: KotaeStore.stored(ids: approvalInboxIds),
        ]
        if try await store.reports.timeZone().identifier != reportTimeZone {
            try await store.reports.setTimeZone(reportTimeZone, with: values)
        } else {
            try await store.setSettings(values)
        }
    }

    func problems() -> [FieldProblem] {
        var found: [FieldProblem] = []
        if !(0.5...90).contains(followUpDays) { found.append(FieldProblem(key: "followUpDays", message: "0.5 to 90 days")) }
        if !(0...10_080).contains(surveyDelayMinutes) {
            found.append(FieldProblem(key: "surveyDelayMinutes", message: "0 to 10,080 minutes (a week)"))
        }
        if !(0...10_000_000).contains(agentLimitYen) { found.append(FieldProblem(key: "agentLimitYen", message: "0 to 10,000,000 yen")) }
        if !reportTimeZone.contains("/") || TimeZone(identifier: reportTimeZone) == nil {
            found.append(FieldProblem(key: "reportTimeZone", message: "an IANA time zone such as Asia/Tokyo"))
        }
        for (key, text) in [("followUpText", followUpText), ("surveyText", surveyText)] {
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || text.count > 1_000 {
                found.append(FieldProblem(key: key, message: "1 to 1,000 characters"))
            }
        }
        if forbiddenWords.count > 200 || forbiddenWords.contains(where: { $0.count > 50 || $0.contains(where: \.isNewline) }) {
            found.append(FieldProblem(key: "forbiddenWords", message: "at most 200 words, each up to 50 characters on one line"))
        }
        if slaWarningMinutes.count > EscalationSettings.maxOffsets
            || slaWarningMinutes.contains(where: { !(1...EscalationSettings.maxOffset / 60).contains($0) })
        {
            found.append(FieldProblem(key: "slaWarningMinutes", message: "at most 5 warnings, each 1 to 10,080 minutes (a week) before"))
        }
        if !slaWebhookURL.isEmpty, let problem = EscalationSettings.problem(webhook: slaWebhookURL) {
            found.append(FieldProblem(key: "slaWebhookURL", message: problem))
        }
        if !(1...1_440).contains(assignOfflineMinutes) {
            found.append(FieldProblem(key: "assignOfflineMinutes", message: "1 to 1,440 minutes (a day)"))
        }
        // Without it the customer gets a survey they cannot answer.
        if !surveyText.contains("{link}") {
            found.append(FieldProblem(key: "surveyText", message: "must contain {link}, where the survey's link goes"))
        }
        return found
    }
}

/// `GET` and `PATCH /api/v1/settings/workspace` (admins).
struct WorkspaceSettingsController {
    let app: AppServices

    func addRoutes(to api: APIRouteGroups) {
        api.admin.get("settings/workspace", use: show)
        api.admin.patch("settings/workspace", use: update)
    }

    struct Change: Decodable {
        let followUpDays: Double?
        let followUpText: String?
        let surveysEnabled: Bool?
        let surveyDelayMinutes: Double?
        let surveyText: String?
        let agentLimitYen: Double?
        let reportTimeZone: String?
        let forbiddenWords: [String]?
        let slaWarningMinutes: [Double]?
        let slaWebhookURL: String?
        let slaEmailInboxId: Int64?
        let autoAssignInboxIds: [Int64]?
        let assignOfflineMinutes: Double?
        let approvalUserIds: [Int64]?
        let approvalInboxIds: [Int64]?
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.json(try await WorkspaceSettings.load(app.store), request)
    }

    /// Checked whole; nothing is stored when any part is refused.
    func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let change = try await request.decode(as: Change.self, context: context)
        var s = try await WorkspaceSettings.load(app.store)
        if let v = change.followUpDays { s.followUpDays = v }
        if let v = change.followUpText { s.followUpText = v }
        if let v = change.surveysEnabled { s.surveysEnabled = v }
        if let v = change.surveyDelayMinutes { s.surveyDelayMinutes = v }
        if let v = change.surveyText { s.surveyText = v }
        if let v = change.agentLimitYen { s.agentLimitYen = v }
        if let v = change.reportTimeZone { s.reportTimeZone = v }
        // Kept as written, less blanks and repeats.
        if let v = change.autoAssignInboxIds {
            let known = Set(try await app.store.inboxes.all().map(\.id))
            if let unknown = v.first(where: { !known.contains($0) }) { throw APIError.invalid("autoAssignInboxIds", "no inbox \(unknown)") }
            s.autoAssignInboxIds = Array(Set(v)).sorted()
        }
        if let v = change.assignOfflineMinutes { s.assignOfflineMinutes = v }
        if let v = change.approvalInboxIds {
            let known = Set(try await app.store.inboxes.all().map(\.id))
            if let unknown = v.first(where: { !known.contains($0) }) { throw APIError.invalid("approvalInboxIds", "no inbox \(unknown)") }
            s.approvalInboxIds = Array(Set(v)).sorted()
        }
        if let v = change.approvalUserIds {
            let known = Set(try await app.store.accounts.users().filter { !$0.disabled }.map(\.id))
            if let unknown = v.first(where: { !known.contains($0) }) { throw APIError.invalid("approvalUserIds", "no active user \(unknown)") }
            s.approvalUserIds = Array(Set(v)).sorted()
        }
        if let v = change.slaWarningMinutes { s.slaWarningMinutes = Array(Set(v)).sorted(by: >) }
        if let v = change.slaWebhookURL { s.slaWebhookURL = v.trimmingCharacters(in: .whitespaces) }
        if let v = change.slaEmailInboxId {
            if v != 0, try await app.store.inboxes.find(id: v)?.channel != .email {
                throw APIError.invalid("slaEmailInboxId", "no email inbox \(v) (0 for none)")
            }
            s.slaEmailInboxId = v
        }
        if let v = change.forbiddenWords {
            var seen = Set<String>()
            s.forbiddenWords = v.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && seen.insert($0).inserted }
        }
        if let problem = s.problems().first { throw APIError.invalid(problem.key, problem.message) }
        try await s.save(app.store)
        try await app.assignment.reload()
        return try context.json(s, request)
    }
}
