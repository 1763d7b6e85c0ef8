import Foundation
import KotaeCore
import KotaeStore

/// The FAQ bot's turn: answer with a published article's own words and its link, offer up
/// to three, or hand off to a person (the conversation stays in the queue, its clock running
/// since the customer's first message). Once a person has answered, the bot stays out; a
/// customer who writes again after the bot answered is handed off, except to say it solved it.
struct FAQBotJob: Sendable {
    let store: KotaeStore
    let help: PublishedHelp
    let hub: EventHub
    let clock: AppClock
    /// Kotae's public address, for the article's link (none without it).
    let publicURL: String?

    func run(_ p: AnswerFromFAQ) async throws -> JobRunner.JobResult {
        guard let c = try await store.conversations.conversation(id: p.conversationId), c.status == .open else { return .done }
        let messages = try await store.conversations.messages(conversationId: c.id)
        guard let asked = messages.first(where: { $0.id == p.messageId }) else { return .done }
        // A person is on it: the bot never speaks over them.
        if messages.contains(where: { $0.kind == .outbound }) { return .done }
        let earlier = messages.filter { $0.id < asked.id }
        if let last = earlier.last(where: { $0.details.bot != nil }) {
            let solved = last.details.bot != "suggest" && FAQBot.saysSolved(asked.text)
            try await store.conversations.step("bot.feedback", conversationId: c.id, data: ["solved": solved ? "true" : "false"])
            if !solved { try await handOff(c, .askedAgain) }
            return .done
        }
        let help = try await self.help.current()
        switch FAQBot(index: help.index).decide(asked.text) {
        case .answer(let entry):
            guard let id = ID(entry.id), let article = help.articles[id] else { return .done }
            let locale = article.locale
            var text = self.help.render(article).text
            if let link = link(article) { text += "\n\n" + link }
            text += "\n\n" + word(locale, "bot_solved")
            _ = try await store.conversations.botReply(text, conversationId: c.id, article: entry.id, now: clock.now)
        case .suggest(let entries):
            let articles = entries.compactMap { ID($0.id).flatMap { help.articles[$0] } }
            guard let locale = articles.first?.locale else { return .done }
            let lines = articles.map { a in "・" + a.title + (link(a).map { " " + $0 } ?? "") }
            let text = ([word(locale, "bot_suggest")] + lines + ["", word(locale, "bot_person")]).joined(separator: "\n")
            _ = try await store.conversations.botReply(text, conversationId: c.id, article: "suggest", now: clock.now)
        case .handOff(let reason):
            try await handOff(c, reason)
        }
        hub.publish(.conversationUpdated(c.id, inbox: c.inboxId))
        return .done
    }

    /// The conversation is left to the people, saying why; it was in their queue all along.
    func handOff(_ c: Conversation, _ reason: FAQBot.HandOff) async throws {
        try await store.conversations.handOff(conversationId: c.id, reason: reason.rawValue, now: clock.now)
        hub.publish(.conversationUpdated(c.id, inbox: c.inboxId))
    }

    func link(_ a: HelpArticle) -> String? {
        publicURL.map { ($0.hasSuffix("/") ? String($0.dropLast()) : $0) + "/help/\(a.locale.rawValue)/articles/\(a.id)" }
    }

    func word(_ locale: HelpLocale, _ key: String) -> String { HelpStrings.table(locale.rawValue)[key] ?? key }
}
