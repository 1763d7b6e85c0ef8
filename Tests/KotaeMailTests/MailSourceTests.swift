import Testing

@testable import KotaeMail

struct MailSourceTests {
    @Test func anMboxSplitsAtFromLinesAndUnquotesThem() {
        let mbox = """
            From taro@example.jp Tue Dec  1 09:00:00 2026
            Subject: one

            first body
            >From the start, a quoted From line
            >>From stays quoted once
            From inside a paragraph is text

            From hanako@example.jp Tue Dec  1 10:00:00 2026
            Subject: two

            second body

            """
        let messages = MailSource.mboxMessages(Array(mbox.utf8)).map { String(decoding: $0, as: UTF8.self) }
        #expect(messages.count == 2)
        #expect(
            messages.first
                == "Subject: one\n\nfirst body\nFrom the start, a quoted From line\n>From stays quoted once\nFrom inside a paragraph is text\n")
        #expect(messages.last == "Subject: two\n\nsecond body\n")
        #expect(MailSource.mboxMessages(Array("not an mbox\n".utf8)).isEmpty)
    }
}
