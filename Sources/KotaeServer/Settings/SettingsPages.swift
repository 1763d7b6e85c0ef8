import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// The admin's settings pages: users and roles, teams, inboxes (credentials, SLA policy,
/// business hours), canned responses, labels. Pages only show; changes go through the
/// REST API from `forms.js`, so the API's checks are the only checks.
struct SettingsPages {
    let web: WebController
    var app: AppServices { web.app }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("settings", use: { _, _ in Response.redirect(to: "/settings/users") })
        group.get("settings/users", use: users)
        group.get("settings/teams", use: teams)
        group.get("settings/inboxes", use: inboxes)
        group.get("settings/inboxes/:id", use: inbox)
        group.get("settings/canned", use: canned)
        group.get("settings/labels", use: labels)
        group.get("settings/help", use: help)
        group.get("settings/workspace", use: workspace)
        group.get("settings/automation", use: automation)
    }

    /// Renders a settings page for an admin; anyone else goes back to the inbox.
    func render(
        _ request: Request, _ context: AppRequestContext, tab: String,
        _ model: (User, [String: String]) async throws -> [String: Any]
    ) async throws -> Response {
        guard let user = context.identity else { return .redirect(to: "/login") }
        guard user.role == .admin else { return .redirect(to: "/") }
        let lang = web.language(request, user)
        let t = WebStrings.table(lang)
        var m = try await model(user, t)
        m["frame"] = try await web.frame(lang: lang, user: user, context: context, title: t["settings"] ?? "Settings", section: "settings")
        m["tabs"] = ["users", "teams", "inboxes", "canned", "labels", "automation", "workspace", "help"].map {
            ["href": "/settings/\($0)", "label": t["settings_\($0)"] ?? $0, "active": $0 == tab] as [String: Any]
        }
        return web.templates.page("settings-\(tab == "inbox" ? "inbox" : tab)", m)
    }

    func users(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(request, context, tab: "users") { me, t in
            // Automatic assignment's view of each: capacity, at their desk now, conversations held.
            let assignment = Dictionary(uniqueKeysWithValues: try await app.store.assignments.agents().map { ($0.userId, $0) })
            let onlineSince = app.clock.now.addingTimeInterval(-Assignments.onlineWindow)
            let rows = try await app.store.accounts.users().map { u -> [String: Any] in
                let a = assignment[u.id]
                return [
                    "id": u.id, "name": u.name, "email": u.email, "isAdmin": u.role == .admin, "disabled": u.disabled,
                    "isMe": u.id == me.id, "roleText": t["role_\(u.role.rawValue)"] ?? u.role.rawValue,
                    "capacity": a?.capacity.map(String.init) ?? "", "online": a?.seenAt.map { $0 >= onlineSince } ?? false,
                    "open": (t["openCount"] ?? "{n}").replacingOccurrences(of: "{n}", with: String(a?.open ?? 0)),
                ]
            }
            return ["users": rows]
        }
    }

    func teams(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(request, context, tab: "teams") { _, _ in
            let users = try await app.store.accounts.users().filter { !$0.disabled }
            let rows = try await app.store.teams.all().map { team -> [String: Any] in
                [
                    "id": team.id, "name": team.name,
                    "members": users.map { ["id": $0.id, "name": $0.name, "checked": team.memberIds.contains($0.id)] as [String: Any] },
                ]
            }
            return ["teams": rows, "users": users.map { ["id": $0.id, "name": $0.name] as [String: Any] }]
        }
    }

    func inboxes(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(request, context, tab: "inboxes") { _, t in
            let rows = try await app.store.inboxes.all().map { i -> [String: Any] in
                [
                    "id": i.id, "name": i.name, "channel": i.channel.rawValue, "channelLabel": WebFormat.channelLabel(i.channel, t: t),
                    "firstResponse": WebFormat.duration(i.slaPolicy.firstResponse, t: t),
                    "problem": i.settings[Inbox.channelProblemSetting] != nil,
                    "hours": i.slaPolicy.businessHours == nil ? (t["always"] ?? "") : (t["businessHoursOnly"] ?? ""),
                ]
            }
            let kinds = ChannelKind.allCases.map { ["value": $0.rawValue, "label": WebFormat.channelLabel($0, t: t)] }
            return ["inboxes": rows, "kinds": kinds]
        }
    }

    func inbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        guard let inbox = try await app.store.inboxes.find(id: id) else { throw APIError.notFound("inbox") }
        let storedSecrets = Set(try await app.store.inboxes.credentials(id: id).keys)
        return try await render(request, context, tab: "inbox") { user, t in
            let lang = web.language(request, user)
            let form = app.channels.form(for: inbox.channel)
            let fields = (form.settings + form.credentials).map { f -> [String: Any] in
                [
                    "key": f.key, "label": WebStrings.text("field_" + f.key, lang), "secret": f.kind == .secret, "flag": f.kind == .flag,
                    "value": inbox.settings[f.key] ?? "", "on": inbox.settings[f.key] == "true", "stored": storedSecrets.contains(f.key),
                ]
            }
            let policy = inbox.slaPolicy
            let hours = policy.businessHours ?? .weekdays(from: 9, to: 18)
            let days = (1...7).map { day -> [String: Any] in
                let span = hours.week[day]?.first
                return [
                    "day": day, "label": t["weekday\(day)"] ?? String(day), "open": span != nil,
                    "from": Self.hhmm(span?.start ?? 9 * 60), "to": Self.hhmm(span?.end ?? 18 * 60),
                ]
            }
            var model: [String: Any] = [
                "inbox": ["id": inbox.id, "name": inbox.name, "channelLabel": WebFormat.channelLabel(inbox.channel, t: t)] as [String: Any],
                "fields": fields,
                "targets": [
                    Self.target("firstResponse", policy.firstResponse, label: t["firstResponseTarget"], t: t, required: true),
                    Self.target("nextResponse", policy.nextResponse, label: t["nextResponseTarget"], t: t, required: true),
                    Self.target("resolution", policy.resolution, label: t["resolutionTarget"], t: t, required: false),
                ],
                "dueSoonPercent": Self.number(policy.dueSoonFraction * 100),
                "businessHoursOn": policy.businessHours != nil, "days": days,
                "timeZones": Self.timeZoneChoices(selected: hours.timeZone),
                "japaneseHolidays": hours.japaneseHolidays,
                "closedDays": hours.closedDays.sorted().map(\.description).joined(separator: "\n"),
            ]
            if let problem = inbox.settings[Inbox.channelProblemSetting] {
                // Kotae's sentence in the admin's language; the platform's words beneath it.
                model["credentialProblem"] = DeliveryExplanation.headline(problem, t: t)
                model["credentialProblemDetail"] = problem
            }
            if inbox.channel == .email { model["mailSignIn"] = mailSignIn(inbox, t: t, timeZone: user.timeZone) }
            // An API inbox is written to with an API token: where to make one, and the address.
            if inbox.channel == .api {
                model["apiIngest"] = "POST /api/v1/inboxes/\(inbox.id)/messages"
            }
            // The chat widget: the tags to paste into the shop's pages, and how to sign customers.
            if inbox.channel == .chat {
                let base = app.config.publicURL ?? app.config.baseURL
                let origin = base.hasSuffix("/") ? String(base.dropLast()) : base
                model["chatSnippet"] = """
                    <script>window.Kotae=window.Kotae||function(){(Kotae.q=Kotae.q||[]).push(arguments)}</script>
                    <script async src="\(origin)/assets/widget.js" data-inbox="\(inbox.id)"></script>
                    """
            }
            // Where the platform delivers: the address to paste into its console.
            let paths: [ChannelKind: String] = [
                .line: "/webhooks/line/", .facebook: "/webhooks/facebook/",
                .instagram: "/webhooks/facebook/", .x: "/webhooks/x/", .api: "/api/v1/inboxes/",
            ]
            if let path = paths[inbox.channel] {
                let base = app.config.baseURL.hasSuffix("/") ? String(app.config.baseURL.dropLast()) : app.config.baseURL
                model["webhookURL"] = base + path + String(inbox.id) + (inbox.channel == .api ? "/messages" : "")
                model["webhookHelp"] = t[inbox.channel == .api ? "inboundHelpAPI" : "webhookHelp"] ?? ""
                // Platforms deliver only to a public https address.
                model["webhookNotPublic"] = inbox.channel != .api && !base.lowercased().hasPrefix("https://")
            }
            return model
        }
    }

    func canned(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(request, context, tab: "canned") { _, _ in
            [
                "canned": try await app.store.cannedResponses().map {
                    ["id": $0.id, "shortcut": $0.shortcut, "title": $0.title, "body": $0.body] as [String: Any]
                }
            ]
        }
    }

    /// What Kotae sends by itself and what agents may give (`WorkspaceSettings`).
    func workspace(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(request, context, tab: "workspace") { _, _ in
            let s = try await WorkspaceSettings.load(app.store)
            let text = WorkspaceSettings.text
            return [
                "w": [
                    "followUpDays": text(s.followUpDays), "followUpText": s.followUpText, "surveysEnabled": s.surveysEnabled,
                    "surveyDelayMinutes": text(s.surveyDelayMinutes), "surveyText": s.surveyText, "agentLimitYen": text(s.agentLimitYen),
                    "reportTimeZone": s.reportTimeZone, "forbiddenWords": s.forbiddenWords.joined(separator: "\n"),
                    "slaWarningMinutes": s.slaWarningMinutes.map(text).joined(separator: ", "), "slaWebhookURL": s.slaWebhookURL,
                    "assignOfflineMinutes": text(s.assignOfflineMinutes),
                ],
                "inboxes": try await app.store.inboxes.all().map {
                    [
                        "id": $0.id, "name": $0.name, "checked": s.autoAssignInboxIds.contains($0.id), "approval": s.approvalInboxIds.contains($0.id),
                    ] as [String: Any]
                },
                "emailInboxes": try await app.store.inboxes.all().filter { $0.channel == .email }.map {
                    ["id": $0.id, "name": $0.name, "chosen": $0.id == s.slaEmailInboxId] as [String: Any]
                },
                "agents": try await app.store.accounts.users().filter { !$0.disabled && $0.role == .agent }.map {
                    ["id": $0.id, "name": $0.name, "approval": s.approvalUserIds.contains($0.id)] as [String: Any]
                },
            ]
        }
    }

    /// The help center: how it presents the shop, its categories and articles with their
    /// readers' views and votes. Google's FAQ rich results are said as they are.
    func help(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(request, context, tab: "help") { _, t in
            let settings = try await HelpCenterSettings.load(app.store)
            let categories = try await app.store.help.categories()
            let articles = try await app.store.help.articles(drafts: true)
            let mailInboxes = try await app.store.inboxes.all().filter { $0.channel == .email }
            func categoryChoices(_ selected: ID?) -> [[String: Any]] {
                categories.map { ["id": $0.id, "label": "\($0.name) (\($0.locale.rawValue))", "selected": $0.id == selected] as [String: Any] }
            }
            return [
                "settings": [
                    "shopName": settings.shopName, "logoURL": settings.logoURL ?? "", "color": settings.color,
                    "supportEmail": settings.supportEmail ?? "", "phone": settings.phone ?? "", "returnPolicyURL": settings.returnPolicyURL ?? "",
                ],
                "contactInboxes": mailInboxes.map { ["id": $0.id, "name": $0.name, "selected": $0.id == settings.contactInboxId] as [String: Any] },
                "locales": HelpLocale.allCases.map { ["code": $0.rawValue, "label": t["helpLocale_\($0.rawValue)"] ?? $0.rawValue] },
                "categories": categories.map { c in
                    [
                        "id": c.id, "name": c.name, "description": c.description, "position": c.position, "locale": c.locale.rawValue,
                        "count": articles.filter { $0.categoryId == c.id }.count,
                    ] as [String: Any]
                },
                "categoryChoices": categoryChoices(nil),
                "translatable": articles.map { ["id": $0.id, "label": "\($0.title) (\($0.locale.rawValue))"] as [String: Any] },
                "articles": articles.map { a -> [String: Any] in
                    [
                        "id": a.id, "title": a.title, "body": a.body, "locale": a.locale.rawValue, "position": a.position,
                        "published": a.status == .published, "statusText": t["helpStatus_\(a.status.rawValue)"] ?? a.status.rawValue,
                        "views": a.views, "helpful": a.helpful, "notHelpful": a.notHelpful,
                        "alternatives": a.alternatives.joined(separator: "\n"), "synonyms": a.synonyms.joined(separator: "\n"),
                        "categories": categoryChoices(a.categoryId), "publicURL": "/help/\(a.locale.rawValue)/articles/\(a.id)",
                    ]
                },
            ]
        }
    }

    func labels(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(request, context, tab: "labels") { _, _ in
            [
                "labels": try await app.store.labels().map {
                    ["id": $0.id, "name": $0.name, "color": $0.color, "description": $0.description] as [String: Any]
                }
            ]
        }
    }

    static func hhmm(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
    static func minutes(_ seconds: TimeInterval) -> String { number(seconds / 60) }

    /// One SLA target as a number and its unit (minutes, hours or days), every target alike:
    /// shown in the largest unit that keeps it whole.
    static func target(_ key: String, _ seconds: TimeInterval?, label: String?, t: [String: String], required: Bool) -> [String: Any] {
        let unit: Double = seconds.map { s in [86_400.0, 3_600].first { s >= $0 && s.truncatingRemainder(dividingBy: $0) == 0 } ?? 60 } ?? 3_600
        let units = [(60.0, "unitMinutes"), (3_600, "unitHours"), (86_400, "unitDays")].map {
            ["value": number($0.0), "label": t[$0.1] ?? "", "selected": $0.0 == unit] as [String: Any]
        }
        return ["key": key, "label": label ?? key, "value": seconds.map { number($0 / unit) } ?? "", "units": units, "required": required]
    }
    /// A number for a form field; whole numbers without ".0". Never traps, whatever is stored.
    static func number(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }

    /// The zones a shop most likely means first, then every other.
    static func timeZoneChoices(selected: String) -> [[String: Any]] {
        let common = ["Asia/Tokyo", "UTC", "Asia/Seoul", "Asia/Shanghai", "Asia/Taipei", "Europe/London", "America/New_York", "America/Los_Angeles"]
        let rest = TimeZone.knownTimeZoneIdentifiers.filter { !common.contains($0) }.sorted()
        return (common + rest).map { ["value": $0, "selected": $0 == selected] }
    }
}
