import KotaeChannels

extension DeliveryOutcome {
    /// A file cannot go to a platform that fetches it without Kotae's public address.
    static let noPublicAddress = DeliveryOutcome.permanent(reason: FileLinks.noPublicAddress)
}
