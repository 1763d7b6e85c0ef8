/// The kind of channel an inbox speaks. One inbox is one instance of a kind
/// (one Facebook page, one mailbox, one API endpoint).
public enum ChannelKind: String, Codable, Sendable, CaseIterable {
    case api
    case email
    case chat
    case facebook
    case instagram
    case x
    case line
    case form

    /// Social channels share default targets and have public threads.
    public var isSocial: Bool {
        switch self {
        case .facebook, .instagram, .x, .line: true
        default: false
        }
    }
}
