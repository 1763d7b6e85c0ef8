import Foundation
import KotaeCore
import KotaeStore

/// What the runner does with each job kind, registered once per payload type. The payload is
/// decoded here, in one place: a handler receives its own type, never a string map.
struct JobHandlers: Sendable {
    typealias Run = @Sendable (Job) async throws -> JobRunner.JobResult
    typealias Dead = @Sendable (Job, String) async -> Void

    private(set) var runs: [String: Run] = [:]
    private(set) var deaths: [String: Dead] = [:]

    init() {}

    /// `dead` is told when a job of this kind is given up, so its owner can show the failure.
    mutating func on<P: JobPayload>(
        _ type: P.Type, run: @escaping @Sendable (P) async throws -> JobRunner.JobResult,
        dead: (@Sendable (P, String) async -> Void)? = nil
    ) {
        precondition(runs[P.kind] == nil, "job kind \(P.kind) registered twice")
        runs[P.kind] = { job in
            let payload: P
            do { payload = try job.payload(as: P.self) } catch {
                return .fail("cannot read the \(P.kind) job's payload: \(Self.describe(error))")
            }
            return try await run(payload)
        }
        if let dead {
            deaths[P.kind] = { job, reason in
                guard let payload = try? job.payload(as: P.self) else { return }
                await dead(payload, reason)
            }
        }
    }

    /// A decoding error in words: which field, and what was wrong with it.
    static func describe(_ error: any Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func path(_ c: DecodingError.Context) -> String { c.codingPath.map(\.stringValue).joined(separator: ".") }
        switch e {
        case .keyNotFound(let key, _): return "\(key.stringValue) is missing"
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "\(path(c)): \(c.debugDescription)"
        case .dataCorrupted(let c): return c.codingPath.isEmpty ? "not JSON" : "\(path(c)): \(c.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
