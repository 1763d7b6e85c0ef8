import KotaeCore
import KotaeStore

/// Something every new customer message may set in motion, whatever channel it came from
/// (listening keywords today; triage, the bot, automation and order matching later). A rule
/// is registered once, in `InboundPipeline.registeredRules`; what it asks for is written in the message's
/// own transaction, so a rule never needs a call in each channel's controller.
protocol InboundRule: Sendable {
    func followUps(for message: Message, in conversation: Conversation, inbox: Inbox) -> [FollowUp]
}
