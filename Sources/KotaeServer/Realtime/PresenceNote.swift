import Foundation

/// "Someone else is viewing / replying": one agent's state on one conversation.
///
/// Nothing is kept on the server. A browser announces itself with `join` when it opens a
/// conversation; the others on that conversation answer with their own state, so a newcomer
/// learns who is there whichever instance they are connected to. Browsers repeat their
/// state every 30 s and forget a colleague not heard from for 70 s, which covers a
/// connection or an instance that vanished without saying goodbye.
public struct PresenceNote: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        case viewing, replying, left
    }
    public var userId: Int64
    public var userName: String
    public var state: State
    public var join: Bool
    /// One per WebSocket, so one agent's two tabs are told apart.
    public var connection: String
}

/// What a browser sends up the stream: `{"type":"presence","conversationId":7,"state":"viewing","join":true}`.
struct PresenceFrame: Decodable {
    let type: String
    let conversationId: Int64
    let state: PresenceNote.State
    let join: Bool?
}
