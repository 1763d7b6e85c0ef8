import Foundation
import KotaeChannels
import Testing

/// Meta's messaging window, computed once for the composer and for delivery.
@Suite struct MessagingWindowTests {
    let last = Date(timeIntervalSince1970: 1_790_000_000)

    func window(after hours: Double, tagged: Bool) -> (GraphClient.Messaging, until: Date)? {
        GraphClient.Messaging.window(lastCustomerMessage: last, humanAgentTag: tagged, now: last.addingTimeInterval(hours * 3600))
    }

    @Test func aReplyGoesWithin24HoursOrWithin7DaysWithTheHumanAgentTag() throws {
        let fresh = try #require(window(after: 23.9, tagged: true))
        #expect(fresh.0 == .response && fresh.until == last.addingTimeInterval(24 * 3600))
        let tagged = try #require(window(after: 72, tagged: true))
        #expect(tagged.0 == .humanAgent && tagged.until == last.addingTimeInterval(7 * 86400))
        #expect(window(after: 24, tagged: false) == nil, "the 24th hour is already outside")
        #expect(window(after: 7 * 24, tagged: true) == nil)
        #expect(GraphClient.Messaging.window(lastCustomerMessage: nil, humanAgentTag: true) == nil, "the customer never wrote privately")
    }
}
