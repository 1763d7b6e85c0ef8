import KotaeCore
import Testing

/// Platform ids and thread keys: one prefix per kind, read back to the kind that wrote it.
@Suite struct PlatformIDTests {
    @Test func everyKindReadsBackItsOwnIds() {
        for kind in ExternalIDKind.allCases {
            let stored = kind.id("12345")
            #expect(ExternalIDKind.of(stored) == kind, "\(stored)")
            #expect(kind.platformID(of: stored) == "12345")
        }
        for kind in ThreadKind.allCases {
            #expect(ThreadKind.of(kind.key("U1")) == kind)
            #expect(kind.id(of: kind.key("U1")) == "U1")
        }
    }

    @Test func aLongerPrefixWinsAndAnotherKindIsNotMistakenForIt() {
        // `line:postback:` starts with `line:`: a button press is not a message id "postback:…".
        #expect(ExternalIDKind.of("line:postback:01ABC") == .linePostback)
        #expect(ExternalIDKind.line.platformID(of: "line:postback:01ABC") == nil)
        #expect(ExternalIDKind.of("ig:mention:c:17/18") == .instagramMention)
        #expect(ExternalIDKind.of("demo-3") == nil && ExternalIDKind.of(nil) == nil)
        #expect(ExternalIDKind.facebookComment.platformID(of: "ig:c:1") == nil)
    }

    @Test func whichIdsArePublicItemsDirectMessagesOrModeratable() {
        #expect(ExternalIDKind.allCases.filter(\.isPublicItem) == [.facebookComment, .instagramComment, .instagramMention, .xPost])
        #expect(ExternalIDKind.allCases.filter(\.isModeratable) == [.facebookComment, .instagramComment])
        #expect(
            ExternalIDKind.allCases.filter(\.isDirect)
                == [.messengerMessage, .messengerPostback, .instagramMessage, .instagramPostback, .xDirectMessage])
    }
}
