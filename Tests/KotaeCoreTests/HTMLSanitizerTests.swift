import Testing
@testable import KotaeCore

@Suite struct HTMLSanitizerTests {
    @Test func scriptsHandlersAndJavascriptLinksAreRemoved() {
        let html = """
            <p onclick="x()">Hi <b>there</b></p><script>alert(1)</script><img src=x onerror=alert(1)>
            <a href="javascript:alert(1)">a</a><a href=" jav&#x09;ascript:alert(1)">b</a><a href="&#106;avascript:alert(1)">c</a>
            <iframe src="https://evil"></iframe><style>body{}</style><svg onload=alert(1)><circle/></svg>
            """
        let out = HTMLSanitizer.sanitize(html)
        #expect(!out.lowercased().contains("script"))
        #expect(!out.contains("onerror"))
        #expect(!out.contains("onclick"))
        #expect(!out.contains("iframe"))
        #expect(!out.contains("onload"))
        #expect(!out.lowercased().contains("javascript"))
        #expect(out.contains("<p>Hi <b>there</b></p>"))
    }

    @Test func linksAndImagesAreKeptSafely() {
        let out = HTMLSanitizer.sanitize(#"<a href="https://shop.example/o/1">注文</a><img src="https://cdn.example/a.png" alt="a">"#)
        #expect(out.contains(#"href="https://shop.example/o/1""#))
        #expect(out.contains(#"rel="noopener noreferrer nofollow""#))
        #expect(out.contains(#"data-src="https://cdn.example/a.png""#))
        #expect(!out.contains(" src="))
    }

    @Test func unclosedTagsAreClosedAndTextEscaped() {
        #expect(HTMLSanitizer.sanitize("<div><b>x") == "<div><b>x</b></div>")
        #expect(HTMLSanitizer.sanitize("a < b & \"c\"") == "a &lt; b & &quot;c&quot;")
        #expect(HTMLSanitizer.sanitize("<unknown attr=1>t</unknown>") == "t")
    }

    @Test func aQuoteWithACombiningMarkInALinkStaysInsideTheAttribute() {
        // Kept out of #expect's source text, which a quote with a mark on it confuses.
        let quoteWithMark = "\"\u{301}"
        let out = HTMLSanitizer.sanitize("<a href='https://shop.example/\(quoteWithMark) onmouseover=alert(1)'>x</a>")
        let escaped = "href=\"https://shop.example/&quot;\u{301} onmouseover=alert(1)\""
        #expect(out.contains(escaped))
        #expect(!out.contains(quoteWithMark))
    }

    @Test func escapingWorksOnCodePointsAndKeepsEverythingElse() {
        #expect(HTMLEscape.text(#"<a href="x">Tom & Jerry's</a>"#) == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        let marked = "\"\u{301}<\u{338}'\u{301}&\u{301}", escaped = "&quot;\u{301}&lt;\u{338}&#39;\u{301}&amp;\u{301}"
        #expect(HTMLEscape.text(marked) == escaped)
        #expect(HTMLEscape.text("配送状況を教えてください 🚚") == "配送状況を教えてください 🚚")
        #expect(HTMLEscape.keepingEntities("&amp; <b>") == "&amp; &lt;b&gt;")
        #expect(HTMLEscape.text("") == "")
    }
}
