import Testing
@testable import KotaeCore

@Suite struct TextTests {
    @Test func cannedTemplateFillsKnownVariablesAndShowsUnknownOnes() {
        let t = CannedTemplate("{contact.name} 様、ご連絡ありがとうございます。{agent.name} が承ります。{order.number}")
        #expect(t.variables == ["contact.name", "agent.name", "order.number"])
        #expect(t.render(["contact.name": "山田", "agent.name": "佐藤"]) == "山田 様、ご連絡ありがとうございます。佐藤 が承ります。{order.number}")
        #expect(CannedTemplate("a { b } {}").render([:]) == "a { b } {}")
    }

    @Test func searchNormalizationFoldsFullWidth() {
        #expect(SearchText.normalize("ＡＢＣ１２３") == "abc123")
        #expect(SearchText.normalize("ｶﾀｶﾅ") == "カタカナ")
    }
}
