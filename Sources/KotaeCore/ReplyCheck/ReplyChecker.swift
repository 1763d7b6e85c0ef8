import Foundation

/// Reads a draft reply before it is sent, in Japanese and English, without a network or a model.
/// Written from what the seed articles say a reply must not do: promise vaguely, skip the
/// apology when the customer complains, blame the customer, send them to the telephone, run
/// long, greet the wrong name, mention a missing attachment, use a word the shop forbids.
public struct ReplyChecker: Sendable {
    public struct Context: Sendable {
        /// The customer complains (triage read a complaint, a defect, a wrong item or a negative tone).
        public var complaint: Bool
        /// The contact's name as the conversation knows it.
        public var contactName: String?
        public var attachments: Int
        /// The shop's forbidden words.
        public var forbidden: [String]
        /// The most characters the channel takes in one message (X: 280 weighted), if any.
        public var channelLimit: Int?

        public init(complaint: Bool = false, contactName: String? = nil, attachments: Int = 0, forbidden: [String] = [], channelLimit: Int? = nil) {
            self.complaint = complaint
            self.contactName = contactName
            self.attachments = attachments
            self.forbidden = forbidden
            self.channelLimit = channelLimit
        }
    }

    public init() {}

    public func check(_ draft: String, _ context: Context) -> [ReplyIssue] {
        let text = draft.precomposedStringWithCompatibilityMapping
        let lower = text.lowercased()
        let japanese = text.unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) || (0x4E00...0x9FFF).contains($0.value) }
        var out: [ReplyIssue] = []
        for word in context.forbidden where !word.isEmpty && lower.contains(word.precomposedStringWithCompatibilityMapping.lowercased()) {
            out.append(ReplyIssue(.forbiddenWord, evidence: word))
        }
        if let vague = ReplyPhrases.vaguePromise(in: text) { out.append(ReplyIssue(.vaguePromise, evidence: vague)) }
        if context.complaint, ReplyPhrases.firstMatch(ReplyPhrases.apologies, in: lower) == nil {
            out.append(ReplyIssue(.noApology, evidence: ""))
        }
        if let blame = ReplyPhrases.blames(in: lower) { out.append(ReplyIssue(.blamesCustomer, evidence: blame)) }
        if let phone = ReplyPhrases.phoneOnly(in: lower) { out.append(ReplyIssue(.phoneOnly, evidence: phone)) }
        let limit = context.channelLimit.map { min($0, japanese ? 300 : 600) } ?? (japanese ? 300 : 600)
        if text.count > limit { out.append(ReplyIssue(.tooLong, evidence: "\(text.count)/\(limit)")) }
        if context.attachments == 0, let mention = ReplyPhrases.firstMatch(ReplyPhrases.attachment, in: lower) {
            out.append(ReplyIssue(.missingAttachment, evidence: mention))
        }
        if let greeted = ReplyPhrases.greetedName(in: text), let name = context.contactName, !Self.sameName(greeted, name) {
            out.append(ReplyIssue(.wrongName, evidence: greeted))
        }
        return out
    }

    /// A greeting's name matches when it is the contact's family name, given name or whole name.
    static func sameName(_ greeted: String, _ contact: String) -> Bool {
        let fold = { (s: String) in s.precomposedStringWithCompatibilityMapping.lowercased().filter { !$0.isWhitespace } }
        let g = fold(greeted), whole = fold(contact)
        guard !g.isEmpty else { return true }
        if whole.contains(g) || g.contains(whole) { return true }
        return contact.split(whereSeparator: { $0.isWhitespace }).contains { fold(String($0)) == g }
    }
}
