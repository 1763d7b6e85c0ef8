/// Send one outbound message through its inbox's channel (queued with the reply, in the
/// same transaction).
public struct DeliverMessage: JobPayload, Equatable {
    public static let kind = "deliver"
    @StoredNumber public var messageId: Int64

    public init(messageId: Int64) { self.messageId = messageId }
}
