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
        /// The most characters the channel takes in one message, if any.
        public var channelLimit: Int?
        /// The channel counts X's weighted length against its limit, not characters.
        public var xWeighted: Bool
        /// A letter is expected to open with the customer's name (email).
        public var expectsNamedGreeting: Bool
        /// Every day the customer's orders name (ordered, shipped, expected, delivered) in the
        /// shop's time zone; nil where no shop system is connected, so no day can be checked.
        public var orderDays: Set<LocalDate>?
        /// Today in the shop's time zone: what 明日 and a date without a year mean.
        public var today: LocalDate?
        /// How long a reply may run before it rambles, in characters, where the channel reads
        /// differently from the default (a LINE bubble, a letter).
        public var readable: Readable?

        public init(
            complaint: Bool = false, contactName: String? = nil, attachments: Int = 0, forbidden: [String] = [], channelLimit: Int? = nil,
            xWeighted: Bool = false, expectsNamedGreeting: Bool = false, orderDays: Set<LocalDate>? = nil, today: LocalDate? = nil,
            readable: Readable? = nil
        ) {
            self.complaint = complaint
            self.contactName = contactName
            self.attachments = attachments
            self.forbidden = forbidden
            self.channelLimit = channelLimit
            self.xWeighted = xWeighted
            self.expectsNamedGreeting = expectsNamedGreeting
            self.orderDays = orderDays
            self.today = today
            self.readable = readable
        }
    }

    /// Characters before a reply rambles: Japanese says in 300 what English says in 600.
    public struct Readable: Sendable, Equatable {
        public var japanese: Int
        public var other: Int

        public init(japanese: Int, other: Int) {
            self.japanese = japanese
            self.other = other
        }

        public static let standard = Readable(japanese: 300, other: 600)
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
        // Beyond the channel's own limit it cannot go at all; beyond a readable length it rambles.
        let readable = (context.readable ?? .standard).pick(japanese)
        if let limit = context.channelLimit, context.xWeighted, XWeightedLength.of(draft) > limit {
            out.append(ReplyIssue(.tooLong, evidence: "\(XWeightedLength.of(draft))/\(limit)"))
        } else if !context.xWeighted, text.count > min(context.channelLimit ?? readable, readable) {
            out.append(ReplyIssue(.tooLong, evidence: "\(text.count)/\(min(context.channelLimit ?? readable, readable))"))
        }
        if context.attachments == 0, let mention = ReplyPhrases.firstMatch(ReplyPhrases.attachment, in: lower) {
            out.append(ReplyIssue(.missingAttachment, evidence: mention))
        }
        let greeted = ReplyPhrases.greetedName(in: text)
        if let greeted, let name = context.contactName, !Self.sameName(greeted, name) {
            out.append(ReplyIssue(.wrongName, evidence: greeted))
        } else if greeted == nil, context.expectsNamedGreeting, let name = context.contactName, !name.isEmpty {
            out.append(ReplyIssue(.noNamedGreeting, evidence: name))
        }
        if let days = context.orderDays, let today = context.today {
            for stated in StatedDates.find(in: text, today: today) where !days.contains(stated.day) {
                out.append(ReplyIssue(.unsourcedDate, evidence: stated.text))
                break
            }
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

extension ReplyChecker.Readable {
    func pick(_ japanese: Bool) -> Int { japanese ? self.japanese : other }
}
