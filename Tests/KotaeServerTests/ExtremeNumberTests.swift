import Foundation
import HTTPTypes
import KotaeChannels
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing
@testable import KotaeServer

/// Issue 10, part 2, as a property: whatever number a platform, a form or the database holds,
/// nothing traps. Random magnitudes from 10⁰ to 10³⁰⁸ of either sign, plus the named edges.
@Suite struct ExtremeNumberTests {
    static let edges: [Double] = [
        0, -1, 1, 9.3e18, -9.3e18, Double(Int64.max), Double(Int64.min), 1e308, -1e308,
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, 4e15,
    ]

    static func values(_ count: Int) -> [Double] {
        var rng = SystemRandomNumberGenerator()
        let random = (0..<count).map { _ in
            (Bool.random(using: &rng) ? 1.0 : -1.0) * Double.random(in: 1..<10, using: &rng) * pow(10, Double(Int.random(in: 0...307, using: &rng)))
        }
        return edges + random
    }

    /// Every customer message each parser produced from `body`.
    static func messages(line body: String) throws -> [InboundMessage] {
        try LINEWebhook.items(from: Data(body.utf8)).compactMap { if case .message(let m, _, _) = $0 { m } else { nil } }
    }
    static func messages(graph body: String) throws -> [InboundMessage] {
        try GraphWebhook.items(from: Data(body.utf8)).compactMap {
            switch $0 {
            case .message(let m, _), .comment(let m, _): m
            default: nil
            }
        }
    }
    static func messages(x body: String) throws -> [InboundMessage] {
        try XWebhook.items(from: Data(body.utf8)).compactMap { if case .message(let m) = $0 { m } else { nil } }
    }

    @Test func everyParserKeepsAnImpossibleTimeAsTheReceiveTimeWithANote() throws {
        for v in Self.values(300) {
            let t = "\(v)"  // Swift writes 1e+300, which is valid JSON
            let line = try Self.messages(
                line:
                    #"{"destination":"U","events":[{"type":"message","message":{"type":"text","id":"1","text":"a"},"timestamp":\#(t),"source":{"type":"user","userId":"U1"},"mode":"active"},{"type":"postback","postback":{"data":"p"},"timestamp":\#(t),"source":{"type":"user","userId":"U1"},"mode":"active"}]}"#
            )
            let graph = try Self.messages(
                graph:
                    #"{"object":"page","entry":[{"id":"P","time":\#(t),"messaging":[{"sender":{"id":"S"},"recipient":{"id":"P"},"timestamp":\#(t),"message":{"mid":"m","text":"a"}}],"changes":[{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"c","post_id":"p","from":{"id":"F","name":"N"},"message":"a","created_time":\#(t)}}]}]}"#
            )
            let x = try Self.messages(
                x:
                    #"{"for_user_id":"A","tweet_create_events":[{"id_str":"1","text":"a","user":{"id_str":"B"},"timestamp_ms":"\#(t)"}],"direct_message_events":[{"type":"message_create","id":"2","created_timestamp":"\#(t)","message_create":{"target":{"recipient_id":"A"},"sender_id":"B","message_data":{"text":"a"}}}]}"#
            )
            #expect(line.count == 2 && graph.count == 2 && x.count == 2, "\(t)")
            let now = Date()
            for m in line + graph + x {
                #expect(PlatformTime.isPlausible(m.sentAt, receivedAt: now), "\(t) → \(m.sentAt)")
                let believable = PlatformTime.milliseconds(v).map { PlatformTime.isPlausible($0, receivedAt: now) } ?? false
                let believableSeconds = PlatformTime.seconds(v).map { PlatformTime.isPlausible($0, receivedAt: now) } ?? false
                if !believable && !believableSeconds { #expect(m.timeNote != nil, "\(t): a replaced time says why") }
            }
        }
    }

    @Test func aPlatformsWaitIsBelievedForAtMostADay() {
        for v in Self.values(100) where v > 0 {
            let usage = GraphUsage { name in
                name.lowercased() == "x-business-use-case-usage"
                    ? #"{"1":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":\#(v)}]}"# : nil
            }
            let wait: TimeInterval? = usage.regainAccessAfter
            // The number travels as JSON text; the decoder may round its last bit differently.
            let expected = min(v * 60, PlatformTime.longestWait)
            #expect(abs((wait ?? -1) - expected) <= expected * 1e-12, "\(v) minutes → \(String(describing: wait))")
        }
    }

    @Test func everyNumberInTheSettingsIsValidatedNeverStoredAbsurd() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let before = try #require(try await app.store.inboxes.find(id: inbox)).slaPolicy
            func policy(
                first: String = "3600", next: String = "3600", resolution: String = "null", soon: String = "0.25",
                start: String = "540", end: String = "1080"
            ) -> String {
                #"{"slaPolicy":{"firstResponse":\#(first),"nextResponse":\#(next),"resolution":\#(resolution),"dueSoonFraction":\#(soon),"businessHours":{"timeZone":"Asia/Tokyo","week":{"1":[{"start":\#(start),"end":\#(end)}]},"japaneseHolidays":true,"closedDays":[]}}}"#
            }
            // Each field with each value: accepted exactly when it is in its documented range.
            let target = { (v: Double) in v > 0 && v <= SLAPolicy.maxTarget }
            let whole = { (v: Double) in v == v.rounded() && abs(v) < 9e18 }
            let fields: [(String, (String) -> String, (Double) -> Bool)] = [
                ("firstResponse", { policy(first: $0) }, target), ("nextResponse", { policy(next: $0) }, target),
                ("resolution", { policy(resolution: $0) }, target), ("dueSoonFraction", { policy(soon: $0) }, { $0 >= 0 && $0 < 1 }),
                ("span start", { policy(start: $0) }, { whole($0) && $0 >= 0 && $0 < 1080 }),
                ("span end", { policy(end: $0) }, { whole($0) && $0 > 540 && $0 <= 1440 }),
            ]
            var stored = before
            for v in Self.values(40) {
                let t = "\(v)"
                for (name, body, valid) in fields {
                    let (status, problem) = try await app.admin(.patch, "/api/v1/inboxes/\(inbox)", body(t))
                    #expect(status == (valid(v) ? .ok : .unprocessableContent), "\(name) = \(t): \(status) \(problem)")
                    if status == .ok { stored = try #require(try await app.store.inboxes.find(id: inbox)).slaPolicy }
                }
                let days = try await app.admin(.post, "/api/v1/auth/tokens", #"{"name":"n","expiresInDays":\#(t)}"#)
                let validDays = whole(v) && v >= 1 && v <= Double(AuthController.maxTokenDays)
                #expect(days.0 == (validDays ? .created : .unprocessableContent), "expiresInDays = \(t): \(days.1)")
            }
            #expect(try await app.store.inboxes.find(id: inbox)?.slaPolicy == stored, "a refused value leaves the last good policy")
            #expect(try await app.request(.get, "/settings/inboxes/\(inbox)", token: app.adminToken).status == .ok)
        }
    }

    @Test func pageModelsTakeAnyNumber() {
        let zone = TimeZone(identifier: "Asia/Tokyo")!
        for v in Self.values(300) + [.nan, .infinity, -.infinity] {
            _ = WebFormat.duration(v, t: WebStrings.table("ja"))
            _ = SettingsPages.minutes(v)
            _ = SettingsPages.number(v)
            _ = WebFormat.clock(Date(timeIntervalSince1970: v), timeZone: zone)
            _ = WebFormat.iso(Date(timeIntervalSince1970: v))
        }
        #expect(WebFormat.duration(.nan, t: WebStrings.table("en")) == "0m")
        #expect(WebFormat.duration(.nan, t: WebStrings.table("ja")) == "0分")
    }
}
