import KotaeCore

/// Which agents have Kotae open in a browser on this instance (their live stream), so the
/// chat widget can say when nobody is there to answer.
final class AgentsOnline: Sendable {
    private let streams = Locked<[Int64: Int]>([:])

    func connected(_ user: Int64) { streams.withLock { $0[user, default: 0] += 1 } }

    func disconnected(_ user: Int64) {
        streams.withLock {
            let left = ($0[user] ?? 1) - 1
            $0[user] = left > 0 ? left : nil
        }
    }

    var anyone: Bool { streams.withLock { !$0.isEmpty } }

    /// Who has a page open here now.
    var users: [Int64] { streams.withLock { Array($0.keys) } }
}
