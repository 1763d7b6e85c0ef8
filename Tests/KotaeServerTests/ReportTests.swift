import Foundation
import KotaeCore
@testable import KotaeStore
import KotaeTesting
import Testing

@testable import KotaeServer

/// Reports over a generated week with known answers: first responses at chosen delays across
/// business hours and a Japanese holiday (2026-11-23, 勤労感謝の日), a reopening, a bot hand-off,
/// a bot answer and a note that do not count, a survey. Written through the store's own paths
/// with explicit times; no job runner (`--role web`), so nothing else moves the clocks.
@Suite struct ReportTests {
    static let tokyo = TimeZone(identifier: "Asia/Tokyo")!

    /// 2026-11-`day` at `hour`:`minute` in Tokyo.
    static func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        LocalDate(2026, 11, day).start(in: tokyo).addingTimeInterval(Double(hour * 3600 + minute * 60))
    }

    struct History {
        let email: Inbox
        let chat: Inbox
        let team: Team
        let conversations: [String: ID]
    }

    /// The week, conversation by conversation. Expected values are worked out beside each.
    static func makeHistory(_ app: TestApp) async throws -> History {
        let store = app.store
        let hours = BusinessHours.weekdays(from: 9, to: 18)
        let email = try await store.inboxes.create(
            name: "メール", channel: .email, slaPolicy: SLAPolicy(firstResponse: 7200, nextResponse: 7200, businessHours: hours))
        let chat = try await store.inboxes.create(name: "チャット", channel: .chat)
        var ids: [String: ID] = [:]
        func message(_ inbox: Inbox, _ name: String, _ key: String, at: Date, text: String = "お問い合わせです") async throws -> ID {
            let m = InboundMessage(
                identity: (inbox.channel.rawValue, name), contactName: name, externalId: key, threadKey: name, text: text, sentAt: at)
            let outcome = try await store.conversations.ingest(m, inbox: inbox, now: at)
            ids[name] = outcome.message.conversationId
            return outcome.message.conversationId
        }
        func answer(_ c: ID, by user: User, at: Date) async throws {
            let (m, _) = try await store.conversations.reply(
                conversationId: c, text: "ご連絡ありがとうございます", author: user.id, now: at.addingTimeInterval(-30))
            try await store.conversations.setDelivery(messageId: m.id, state: .sent, error: nil, externalId: nil, at: at)
        }
        func resolve(_ c: ID, by user: User, at: Date) async throws {
            _ = try await store.conversations.change(conversationId: c, .status(.resolved, reason: nil), actor: user.id, now: at)
        }
        // Email, business hours weekdays 9–18 with holidays, first and next response 2 business hours.
        // C1: Friday 17:00, answered Tuesday 10:30 past Monday's holiday: 322,200 s; business 1 h + 1.5 h = 9,000 s; past its due (Tue 10:00).
        let c1 = try await message(email, "c1", "c1-1", at: at(20, 17))
        try await answer(c1, by: app.admin, at: at(24, 10, 30))
        // C2: 300 s, resolved after one answer (one-touch, 600 s), its survey answered 5.
        let c2 = try await message(email, "c2", "c2-1", at: at(24, 11))
        try await answer(c2, by: app.admin, at: at(24, 11, 5))
        try await resolve(c2, by: app.admin, at: at(24, 11, 10))
        // C3 (label 返品): 1,800 s; a second wait of 7,200 s (exactly its due: met); resolved after two
        // answers; reopened the next morning, answered in 1,200 s (a new first response), resolved again.
        let c3 = try await message(email, "c3", "c3-1", at: at(24, 12))
        _ = try await store.conversations.change(conversationId: c3, .labels(add: ["返品"], remove: []), actor: app.admin.id, now: at(24, 12, 1))
        try await answer(c3, by: app.admin, at: at(24, 12, 30))
        _ = try await message(email, "c3", "c3-2", at: at(24, 13))
        try await answer(c3, by: app.admin, at: at(24, 15))
        try await resolve(c3, by: app.admin, at: at(24, 15, 10))
        _ = try await message(email, "c3", "c3-3", at: at(25, 9))
        try await answer(c3, by: app.admin, at: at(25, 9, 20))
        try await resolve(c3, by: app.admin, at: at(25, 9, 30))
        // Chat, no business hours, first response 30 minutes.
        // C4: the bot hands off at 20:02; a person answers at 20:12: 600 s from the hand-off (720 s of waiting).
        let c4 = try await message(chat, "c4", "c4-1", at: at(25, 20))
        _ = try await store.conversations.botReply("よくある質問です", conversationId: c4, article: "1", now: at(25, 20, 1))
        try await store.conversations.handOff(conversationId: c4, reason: "unknown", now: at(25, 20, 2))
        try await answer(c4, by: app.agent, at: at(25, 20, 12))
        // C5 (label 返品): 2,400 s, past its 30 minutes.
        let c5 = try await message(chat, "c5", "c5-1", at: at(26, 10))
        _ = try await store.conversations.change(conversationId: c5, .labels(add: ["返品"], remove: []), actor: app.agent.id, now: at(26, 10, 1))
        // C5 also goes to the night team: agent, team and label all at once.
        let night = try await store.teams.create(name: "夜間", memberIds: [app.agent.id])
        _ = try await store.conversations.change(conversationId: c5, .team(night.id), actor: app.agent.id, now: at(26, 10, 2))
        try await answer(c5, by: app.agent, at: at(26, 10, 40))
        // C6: never answered.
        _ = try await message(chat, "c6", "c6-1", at: at(26, 11))
        // C7: a bot answer and a note do not stop the clock; the person answers after 600 s.
        let c7 = try await message(chat, "c7", "c7-1", at: at(26, 12))
        _ = try await store.conversations.botReply("自動応答です", conversationId: c7, article: "2", now: at(26, 12, 1))
        _ = try await store.conversations.note(conversationId: c7, text: "確認中", author: app.agent.id, now: at(26, 12, 2))
        try await answer(c7, by: app.agent, at: at(26, 12, 10))
        // C2's survey, sent and answered.
        let survey = try #require(try await store.surveys.of(conversationId: c2).first)
        #expect(try await store.surveys.send(survey, text: "いかがでしたか {link}", now: at(24, 12)))
        _ = try #require(try await store.surveys.answer(id: survey.id, rating: 5, comment: nil, now: at(24, 13)))
        return History(email: email, chat: chat, team: night, conversations: ids)
    }

    static let week = "from=2026-11-20&to=2026-11-26&by=day"

    /// Every metric over `days` read one way (whole months from the month rollups with `months`).
    static func totals(
        _ app: TestApp, _ days: ClosedRange<Int>, _ filter: ReportFilter, business: Bool, source: Reports.Source, months: Bool = false
    ) async throws -> Totals {
        Totals(
            try await app.store.reports.cells(
                ReportMetric.allCases, days: days, filter: filter, months: months, business: business, source: source
            ).cells)
    }

    /// The same over the whole of `days` per key of `keyedBy`.
    static func totalsByKey(
        _ app: TestApp, _ days: ClosedRange<Int>, _ filter: ReportFilter, _ keyedBy: ReportDimension, business: Bool, source: Reports.Source
    ) async throws -> [ID: Totals] {
        let cells = try await app.store.reports.cells(
            ReportMetric.allCases, days: days, filter: filter, keyedBy: keyedBy, byDay: false, business: business, source: source
        ).cells
        let (keys, totals) = ReportBuilder.keyed(cells)
        return Dictionary(uniqueKeysWithValues: zip(keys, totals))
    }

    func figure(_ report: [String: Any], _ key: String) -> Double? {
        let rows = report["summary"] as? [[String: Any]] ?? []
        return (rows.first { $0["key"] as? String == key }?["current"] as? NSNumber)?.doubleValue
    }

    @Test func aWeekWithKnownAnswersGivesExactMediansPercentilesAndShares() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            let h = try await Self.makeHistory(app)
            let (status, r) = try await app.admin(.get, "/api/v1/reports?\(Self.week)")
            #expect(status == .ok)
            #expect(r["source"] as? String == "rollups")
            // First responses (calendar): 300, 600, 600, 1200, 1800, 2400, 322200. Figures are given
            // to the step they are shown at: 322,200 s (3 days 17 h 30 min) is 3 days 17 h, 320,400 s.
            #expect(figure(r, "firstResponses") == 7)
            #expect(figure(r, "firstResponseMedian") == 1200)
            #expect(figure(r, "firstResponseP90") == 320_400)
            // Waits: 300, 600, 720, 1200, 1800, 2400, 7200, 322200.
            #expect(figure(r, "replyWaitMedian") == 1200)
            #expect(figure(r, "replyWaitP90") == 320_400)
            // Full resolutions 600 and 77,400 (C3's first, 11,400, was taken back by its reopening).
            #expect(figure(r, "resolutions") == 2)
            #expect(figure(r, "resolutionMedian") == 600)
            #expect(figure(r, "resolutionP90") == 77_400)
            #expect(figure(r, "firstResolutionMedian") == 600)
            #expect(figure(r, "oneTouchShare") == 0.5)
            #expect(figure(r, "reopens") == 1)
            #expect(figure(r, "botHandOffs") == 1)
            #expect(figure(r, "slaFirstResponseBreached") == 2)
            #expect(figure(r, "slaFirstResponseMet") == 5)
            #expect(figure(r, "slaReplyBreached") == 2)
            #expect(figure(r, "conversations") == 7)
            #expect(figure(r, "incoming") == 9)
            #expect(figure(r, "csatScore") == 1)
            #expect(figure(r, "csatResponseRate") == 1)

            // By month, whole months are read from their month rollups: October empty, November the week.
            let (_, m) = try await app.admin(.get, "/api/v1/reports?from=2026-10-01&to=2026-11-30&by=month")
            let months = try #require(m["series"] as? [[String: Any]])
            #expect(months.map { $0["start"] as? String } == ["2026-10-01", "2026-11-01"])
            #expect(months.map { $0["firstResponses"] as? Int } == [0, 7])
            #expect(months[1]["firstResponseMedian"] as? Int == 1200 && months[1]["firstResponseP90"] as? Int == 320_400)
            #expect(figure(m, "firstResponseP90") == 320_400 && figure(m, "resolutionP90") == 77_400)

            // Business hours: C1 counts 9,000 s; the median stays, the 90th percentile follows.
            let (_, b) = try await app.admin(.get, "/api/v1/reports?\(Self.week)&businessHours=true")
            #expect(figure(b, "firstResponseMedian") == 1200)
            #expect(figure(b, "firstResponseP90") == 9000)

            // Expectation coverage on the customer's clock, per channel.
            let coverage = try #require(r["coverage"] as? [[String: Any]])
            let email = try #require(coverage.first { $0["channel"] as? String == "email" })
            #expect(email["within"] as? [Double] == [0.25, 0.25, 0.75, 0.75, 0.75, 0.75])
            #expect(email["histogram"] as? [Int] == [1, 0, 2, 0, 0, 0, 1])
            #expect(email["withinDefault"] as? Double == 0.75)
            let chat = try #require(coverage.first { $0["channel"] as? String == "chat" })
            #expect(chat["within"] as? [Double] == [0, 2.0 / 3, 2.0 / 3, 1, 1, 1])
            // 9 %·0 + 11 %·⅔ + 12 %·⅔ + (10 + 25 + 33) %·1
            #expect(abs((chat["met"] as? Double ?? 0) - (0.11 * 2 / 3 + 0.12 * 2 / 3 + 0.68)) < 1e-9)

            // Days: Friday's message and the week's backlog at each day's end.
            let series = try #require(r["series"] as? [[String: Any]])
            #expect(series.count == 7)
            #expect(series.map { $0["conversations"] as? Int } == [1, 0, 0, 0, 2, 1, 3])
            let backlog = try #require(r["backlog"] as? [[String: Any]])
            #expect(backlog.map { $0["unresolved"] as? Int } == [1, 1, 1, 1, 1, 2, 5])
            #expect(backlog.map { $0["unanswered"] as? Int } == [1, 1, 1, 1, 0, 0, 1])
            let heat = try #require(r["heatmap"] as? [[Int]])
            #expect(heat[4][17] == 1 && heat[1][11...13] == [1, 1, 1] && heat.flatMap { $0 }.reduce(0, +) == 9)

            // Per agent: the replier is credited; per label: 返品's first responses 1,200, 1,800, 2,400.
            let agents = try #require(r["agents"] as? [[String: Any]])
            let sato = try #require(agents.first { $0["name"] as? String == "佐藤" })
            #expect(sato["firstResponses"] as? Int == 3 && sato["firstResponseMedian"] as? Int == 600)
            let labels = try #require(r["labels"] as? [[String: Any]])
            let returns = try #require(labels.first { $0["name"] as? String == "返品" })
            #expect(returns["firstResponses"] as? Int == 3 && returns["firstResponseMedian"] as? Int == 1800)

            // The email inbox alone, and the chat channel with an agent (rollups are kept per inbox too).
            let (_, e) = try await app.admin(.get, "/api/v1/reports?\(Self.week)&inbox=\(h.email.id)")
            #expect(figure(e, "firstResponseMedian") == 1200 && figure(e, "firstResponses") == 4)
            let (_, ca) = try await app.admin(.get, "/api/v1/reports?\(Self.week)&channel=chat&agent=\(app.agent.id)")
            #expect(ca["source"] as? String == "rollups" && ca["trafficFiltered"] as? Bool == true)
            #expect(figure(ca, "firstResponses") == 3 && figure(ca, "firstResponseMedian") == 600 && figure(ca, "conversations") == nil)
            // An agent and a label together: their pair's rollups answer. 佐藤's 返品: C5 only.
            let label = try #require(try await app.store.labels().first { $0.name == "返品" })
            let (_, al) = try await app.admin(.get, "/api/v1/reports?\(Self.week)&agent=\(app.agent.id)&label=\(label.id)")
            #expect(al["source"] as? String == "rollups" && figure(al, "firstResponses") == 1 && figure(al, "firstResponseMedian") == 2400)
            #expect(al["tablesOmitted"] as? Bool == false)
            // Agent, team and label at once: the triple's rollups. C5 is the night team's.
            let (_, alt) = try await app.admin(.get, "/api/v1/reports?\(Self.week)&agent=\(app.agent.id)&label=\(label.id)&team=\(h.team.id)")
            #expect(alt["source"] as? String == "rollups" && figure(alt, "firstResponses") == 1 && figure(alt, "firstResponseMedian") == 2400)
            let (_, other) = try await app.admin(.get, "/api/v1/reports?\(Self.week)&agent=\(app.admin.id)&label=\(label.id)&team=\(h.team.id)")
            #expect(figure(other, "firstResponses") == 0)
        }
    }

    @Test func rollupsAndFactRowsAgree() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            let h = try await Self.makeHistory(app)
            let range = LocalDate(2026, 11, 20).dayNumber...LocalDate(2026, 11, 26).dayNumber
            let label = try #require(try await app.store.labels().first { $0.name == "返品" })
            let filters = [
                ReportFilter(), ReportFilter(inboxIds: [h.email.id]), ReportFilter(inboxIds: [h.chat.id]), ReportFilter(agentId: app.admin.id),
                ReportFilter(agentId: app.agent.id), ReportFilter(labelId: label.id), ReportFilter(inboxIds: [h.chat.id], agentId: app.agent.id),
                ReportFilter(inboxIds: [h.email.id], labelId: label.id), ReportFilter(agentId: app.agent.id, labelId: label.id),
                ReportFilter(inboxIds: [h.chat.id], agentId: app.admin.id, labelId: label.id), ReportFilter(teamId: h.team.id),
                ReportFilter(agentId: app.agent.id, teamId: h.team.id, labelId: label.id),
                ReportFilter(inboxIds: [h.chat.id], agentId: app.agent.id, teamId: h.team.id, labelId: label.id),
            ]
            // The week (day rows), November whole (its month row) and a span across three months
            // (a month row and the days either side).
            let ranges = [
                range, LocalDate(2026, 11, 1).dayNumber...LocalDate(2026, 11, 30).dayNumber,
                LocalDate(2026, 10, 25).dayNumber...LocalDate(2026, 12, 3).dayNumber,
            ]
            #expect(Reports.pieces(ranges[1], months: true).map(\.0) == [.month])
            #expect(Reports.pieces(ranges[2], months: true).map(\.0) == [.month, .day, .day])
            for filter in filters {
                for business in [false, true] {
                    let raw = try await Self.totals(app, range, filter, business: business, source: .events)
                    for days in ranges {
                        let rolled = try await Self.totals(app, days, filter, business: business, source: .rollups, months: true)
                        for m in ReportMetric.allCases {
                            #expect(rolled.count(m) == raw.count(m), "\(m) \(filter) \(days)")
                            #expect(rolled.sample(m) == raw.sample(m), "\(m) \(filter) \(days)")
                            #expect(rolled.median(m) == raw.median(m) && rolled.p90(m) == raw.p90(m), "\(m) \(filter) \(days)")
                        }
                    }
                }
            }
            // Tables keyed by one dimension beside a filter on another read the pairs' rollups.
            let keyed: [(ReportFilter, ReportDimension)] = [
                (ReportFilter(), .agent), (ReportFilter(), .label), (ReportFilter(agentId: app.agent.id), .label),
                (ReportFilter(labelId: label.id), .agent), (ReportFilter(inboxIds: [h.email.id], agentId: app.admin.id), .label),
                (ReportFilter(agentId: app.agent.id, labelId: label.id), .agent), (ReportFilter(agentId: app.agent.id, labelId: label.id), .label),
                (ReportFilter(agentId: app.agent.id, labelId: label.id), .team), (ReportFilter(agentId: app.agent.id, teamId: h.team.id), .label),
                (ReportFilter(teamId: h.team.id, labelId: label.id), .agent), (ReportFilter(), .team),
                (ReportFilter(agentId: app.agent.id, teamId: h.team.id, labelId: label.id), .agent),
            ]
            for (filter, key) in keyed {
                #expect(Reports.source(filter: filter, keyedBy: key) == .rollups)
                for business in [false, true] {
                    let rolled = try await Self.totalsByKey(app, range, filter, key, business: business, source: .rollups)
                    let raw = try await Self.totalsByKey(app, range, filter, key, business: business, source: .events)
                    #expect(rolled.keys.sorted() == raw.keys.sorted() && !raw.isEmpty, "\(filter) by \(key)")
                    for (id, r) in raw {
                        let t = try #require(rolled[id])
                        for m in ReportMetric.allCases {
                            #expect(t.count(m) == r.count(m) && t.sample(m) == r.sample(m), "\(m) \(filter) by \(key) #\(id)")
                            #expect(t.median(m) == r.median(m) && t.p90(m) == r.p90(m), "\(m) \(filter) by \(key) #\(id)")
                        }
                    }
                }
            }
            // And they hold something: the whole week's first responses, each in its band.
            let all = try await Self.totals(app, ranges[1], ReportFilter(), business: false, source: .rollups, months: true)
            var known = BandedSample()
            for v in [300, 600, 600, 1200, 1800, 2400, 322_200] { known.add(value: v) }
            #expect(all.sample(.firstResponse) == known && all.median(.firstResponse) == 1200 && all.p90(.firstResponse) == 320_400)
        }
    }

    /// A change appends its band counts to its rollup rows; a row appended to often enough is
    /// written whole again, each band once, and still agrees with the fact rows.
    @Test func aBusyRollupIsWrittenWholeAgainAndStillAgrees() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            let store = app.store
            let chat = try await store.inboxes.create(name: "チャット", channel: .chat)
            let n = Reports.compactEvery + 30
            for i in 0..<n {
                let start = Self.at(24, 9).addingTimeInterval(Double(i * 60))
                let m = InboundMessage(
                    identity: ("chat", "v\(i)"), contactName: "v\(i)", externalId: "m\(i)", threadKey: "v\(i)", text: "質問です", sentAt: start)
                let c = try await store.conversations.ingest(m, inbox: chat, now: start).message.conversationId
                let (reply, _) = try await store.conversations.reply(conversationId: c, text: "はい", author: app.agent.id, now: start)
                try await store.conversations.setDelivery(
                    messageId: reply.id, state: .sent, error: nil, externalId: nil, at: start.addingTimeInterval(Double(30 + i % 90)))
            }
            let row = try #require(
                try await store.db.read { db in
                    try await db.raw(
                        "SELECT appended, bands FROM report_rollups WHERE span = 'month' AND dimension = 'inbox' AND metric = 'first_response' AND inbox_id = \(bind: chat.id)"
                    ).first()
                })
            // Written whole once at the limit, then appended to 30 times.
            #expect(try row.int("appended") == 30)
            let day = LocalDate(2026, 11, 24).dayNumber
            let rolled = try await Self.totals(app, day...day, ReportFilter(inboxIds: [chat.id]), business: false, source: .rollups)
            let raw = try await Self.totals(app, day...day, ReportFilter(inboxIds: [chat.id]), business: false, source: .events)
            #expect(rolled.sample(.firstResponse).count == n && rolled.sample(.firstResponse) == raw.sample(.firstResponse))
            let month = LocalDate(2026, 11, 1).dayNumber...LocalDate(2026, 11, 30).dayNumber
            let byMonth = try await Self.totals(app, month, ReportFilter(inboxIds: [chat.id]), business: false, source: .rollups, months: true)
            #expect(byMonth.sample(.firstResponse) == raw.sample(.firstResponse) && byMonth.median(.firstResponse) == raw.median(.firstResponse))
            // 90 different delays (30–119 s, one band each): the text written whole holds each band once.
            #expect(BandCounts(text: try row.string("bands")).counts.count == 90)
        }
    }

    @Test func everyTableDownloadsAsCSVThatExcelInJapanReads() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            _ = try await Self.makeHistory(app)
            for table in ReportCSV.tables {
                let r = try await app.request(.get, "/api/v1/reports/\(table).csv?\(Self.week)", token: app.adminToken)
                #expect(r.status == .ok, "\(table)")
                #expect(r.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(r.headers[.contentDisposition] == "attachment; filename=\"kotae-\(table)-2026-11-20_2026-11-26.csv\"")
                let bytes = Array(Data(buffer: r.body))
                #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "\(table) starts with a BOM")
                #expect(String(decoding: bytes, as: UTF8.self).hasSuffix("\r\n"))
            }
            let summary = String(buffer: try await app.request(.get, "/api/v1/reports/summary.csv?\(Self.week)", token: app.adminToken).body)
            #expect(summary.contains("\r\nfirstResponseMedian,初回応答時間（中央値）,1200,,seconds\r\n"))
            let agents = String(buffer: try await app.request(.get, "/api/v1/reports/agents.csv?\(Self.week)", token: app.adminToken).body)
            #expect(agents.contains(",佐藤,3,600,2400,"))
        }
    }

    @Test func thePageDrawsItsChartsBesideTablesOfTheirNumbers() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            _ = try await Self.makeHistory(app)
            let r = try await app.request(.get, "/reports?\(Self.week)", token: app.adminToken)
            #expect(r.status == .ok)
            let page = String(buffer: r.body)
            #expect(page.components(separatedBy: "<svg class=\"chart\"").count - 1 == 7)
            #expect(page.contains(#"<tr data-key="firstResponseMedian"><th>初回応答時間（中央値）</th><td>20分</td><td>—</td></tr>"#))
            #expect(page.contains(#"<tr data-key="firstResponseP90"><th>初回応答時間（90%の方）</th><td>3日17時間</td>"#))
            #expect(page.contains(#"<a class="csv" href="/api/v1/reports/agents.csv?from=2026-11-20&amp;to=2026-11-26&amp;by=day">"#))
            #expect(!page.contains("style=\""))
            // Agents see no reports.
            #expect(try await app.request(.get, "/reports", token: app.agentToken).status == .seeOther)
        }
    }

    /// A shop in Los Angeles: every fact's day is counted again in its zone, and the rollups,
    /// rebuilt, still agree with the fact rows. Friday 17:00 in Tokyo is Friday 00:00 there.
    @Test func anotherTimeZoneCountsEveryDayAgain() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            _ = try await Self.makeHistory(app)
            let (_, before) = try await app.admin(.get, "/api/v1/reports?from=2026-11-24&to=2026-11-24")
            #expect(figure(before, "firstResponses") == 3)  // C1, C2 and C3's first, that Tuesday in Tokyo
            let (status, saved) = try await app.admin(.patch, "/api/v1/settings/workspace", #"{"reportTimeZone":"America/Los_Angeles"}"#)
            #expect(status == .ok && saved["reportTimeZone"] as? String == "America/Los_Angeles")
            let (_, r) = try await app.admin(.get, "/api/v1/reports?from=2026-11-23&to=2026-11-23")
            // Monday 23rd in Los Angeles is Tuesday in Tokyo until 17:00: C1 (10:30), C2 (11:05), C3 (12:30, 15:00 is a wait only).
            #expect(figure(r, "firstResponses") == 3 && r["timeZone"] as? String == "America/Los_Angeles")
            let (_, tuesday) = try await app.admin(.get, "/api/v1/reports?from=2026-11-24&to=2026-11-24")
            #expect(figure(tuesday, "firstResponses") == 1)  // C3 after its reopening: Wednesday 9:20 in Tokyo
            // Mid-October to early December: November's month row, rebuilt, and the days either side.
            let range = LocalDate(2026, 10, 18).dayNumber...LocalDate(2026, 12, 2).dayNumber
            for business in [false, true] {
                let rolled = try await Self.totals(app, range, ReportFilter(), business: business, source: .rollups, months: true)
                let raw = try await Self.totals(app, range, ReportFilter(), business: business, source: .events)
                for m in ReportMetric.allCases {
                    #expect(rolled.count(m) == raw.count(m) && rolled.sample(m) == raw.sample(m), "\(m)")
                    #expect(rolled.median(m) == raw.median(m) && rolled.p90(m) == raw.p90(m), "\(m)")
                }
            }
            // A zone that is not one is refused, and nothing changes.
            let (refused, problem) = try await app.admin(
                .patch, "/api/v1/settings/workspace", #"{"reportTimeZone":"Mars/Olympus","agentLimitYen":1}"#)
            #expect(refused == .unprocessableContent && problem["field"] as? String == "reportTimeZone")
            let (_, now) = try await app.admin(.get, "/api/v1/settings/workspace")
            #expect(now["reportTimeZone"] as? String == "America/Los_Angeles" && now["agentLimitYen"] as? Double != 1)
        }
    }

    @Test func badQueriesAreRefusedNamingTheParameter() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            for (query, field) in [
                ("from=2026-11-30&to=2026-11-01", "to"), ("from=2025-01-01&to=2026-11-30", "to"), ("from=2026-13-01&to=2026-12-01", "from"),
                ("preset=forever", "preset"), ("by=hour", "by"), ("channel=fax", "channel"), ("agent=abc", "agent"),
            ] {
                let (status, out) = try await app.admin(.get, "/api/v1/reports?\(query)")
                #expect(status == .unprocessableContent, "\(query)")
                #expect(out["field"] as? String == field, "\(query)")
            }
            #expect(try await app.request(.get, "/api/v1/reports?preset=7d", token: app.agentToken).status == .forbidden)
            #expect(try await app.request(.get, "/api/v1/reports/secrets.csv", token: app.adminToken).status == .notFound)
        }
    }
}
