import Foundation

public enum JobState: String, Codable, Sendable {
    case queued, running, done, dead
}

public struct Job: Codable, Sendable, Equatable {
    public var id: ID
    public var kind: String
    public var payload: String
    public var state: JobState
    public var attempts: Int
    public var maxAttempts: Int
    public var runAt: Date
    public var lastError: String?

    public init(id: ID, kind: String, payload: String, state: JobState, attempts: Int, maxAttempts: Int, runAt: Date, lastError: String? = nil) {
        self.id = id
        self.kind = kind
        self.payload = payload
        self.state = state
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.runAt = runAt
        self.lastError = lastError
    }
}
