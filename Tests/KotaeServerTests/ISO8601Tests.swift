import Foundation
import Testing
@testable import KotaeServer

/// Dates in request bodies: what platforms send (Z or an offset, with or without fractions).
@Suite struct ISO8601Tests {
    @Test func acceptsTheFormsPlatformsSend() {
        let expected = Date(timeIntervalSince1970: 1_795_000_000)
        #expect(ISO8601.parse("2026-11-18T11:06:40Z") == expected)
        #expect(ISO8601.parse("2026-11-18T20:06:40+09:00") == expected)
        #expect(ISO8601.parse("2026-11-18T11:06:40.250Z") == expected.addingTimeInterval(0.25))
        #expect(ISO8601.parse("yesterday") == nil)
        #expect(ISO8601.parse("2026-11-18") == nil)
    }
}
