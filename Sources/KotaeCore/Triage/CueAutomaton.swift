/// Every cue of every label in one Aho–Corasick automaton over UTF-8 bytes: a message is read
/// once, whatever the number of cues, so triage costs little on the way in.
///
/// Built with a dictionary per state, then laid out in flat arrays: every message walks it
/// byte by byte, and hashing each byte cost more than the rest of triage together.
struct CueAutomaton: Sendable {
    struct Cue: Sendable {
        let length: Int
        let weight: Double
        /// Which score it adds to (an intent, the tone, urgency, …).
        let label: Int
        /// English: only from the start of a word ("pay" in "repay" is not paying).
        let wordStart: Bool
    }

    let cues: [Cue]
    /// The root's move for each byte (0, the root itself, when no cue starts with it).
    private let rootMoves: [Int32]
    /// State s's moves are `moveBytes[moveStart[s]..<moveStart[s + 1]]`, sorted, with their
    /// targets; the root's range is empty (its moves are `rootMoves`).
    private let moveStart: [Int32]
    private let moveBytes: [UInt8]
    private let moveTargets: [Int32]
    private let fail: [Int32]
    /// The cues that end at state s, its fail chain's included: `endCues[endStart[s]..<endStart[s + 1]]`.
    private let endStart: [Int32]
    private let endCues: [Int32]

    init(_ patterns: [(bytes: [UInt8], cue: Cue)]) {
        cues = patterns.map(\.cue)
        var next: [[UInt8: Int32]] = [[:]]
        var ends: [[Int32]] = [[]]
        for (i, p) in patterns.enumerated() where !p.bytes.isEmpty {
            var state = 0
            for b in p.bytes {
                if let s = next[state][b] {
                    state = Int(s)
                } else {
                    next.append([:])
                    ends.append([])
                    next[state][b] = Int32(next.count - 1)
                    state = next.count - 1
                }
            }
            ends[state].append(Int32(i))
        }
        // Breadth first: each state's fail link is the longest proper suffix that is a state.
        var fail = [Int32](repeating: 0, count: next.count)
        var queue = Array(next[0].values.map(Int.init))
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            for (b, child) in next[state] {
                let c = Int(child)
                var f = Int(fail[state])
                while f != 0 && next[f][b] == nil { f = Int(fail[f]) }
                let target = next[f][b].map(Int.init) ?? 0
                fail[c] = Int32(target == c ? 0 : target)
                ends[c] += ends[Int(fail[c])]
                queue.append(c)
            }
        }
        var rootMoves = [Int32](repeating: 0, count: 256)
        for (b, s) in next[0] { rootMoves[Int(b)] = s }
        var moveStart: [Int32] = [0]
        var moveBytes: [UInt8] = []
        var moveTargets: [Int32] = []
        var endStart: [Int32] = [0]
        var endCues: [Int32] = []
        for state in next.indices {
            for (b, s) in next[state].sorted(by: { $0.key < $1.key }) where state != 0 {
                moveBytes.append(b)
                moveTargets.append(s)
            }
            moveStart.append(Int32(moveBytes.count))
            endCues += ends[state]
            endStart.append(Int32(endCues.count))
        }
        self.rootMoves = rootMoves
        self.moveStart = moveStart
        self.moveBytes = moveBytes
        self.moveTargets = moveTargets
        self.fail = fail
        self.endStart = endStart
        self.endCues = endCues
    }

    /// The cues found in `text`, each once, in the order they were first found.
    func matches(in text: String) -> [Int] {
        var text = text
        return text.withUTF8 { matches(in: $0) }
    }

    private func matches(in text: UnsafeBufferPointer<UInt8>) -> [Int] {
        var found: [Int] = []
        var seen = [Bool](repeating: false, count: cues.count)
        var state: Int32 = 0
        for i in text.indices {
            state = self.state(after: state, reading: text[i])
            for e in endCues[Int(endStart[Int(state)])..<Int(endStart[Int(state) + 1])] {
                let cue = Int(e)
                guard !seen[cue] else { continue }
                let start = i + 1 - cues[cue].length
                if cues[cue].wordStart && start > 0 && Self.isWordByte(text[start - 1]) { continue }
                seen[cue] = true
                found.append(cue)
            }
        }
        return found
    }

    /// Follows fail links until a state has a move on `byte`; the root has one for every byte.
    private func state(after state: Int32, reading byte: UInt8) -> Int32 {
        var s = state
        while s != 0 {
            // Binary search: a state after a UTF-8 lead byte can have dozens of moves.
            let end = Int(moveStart[Int(s) + 1])
            var low = Int(moveStart[Int(s)])
            var high = end
            while low < high {
                let mid = (low + high) / 2
                if moveBytes[mid] < byte { low = mid + 1 } else { high = mid }
            }
            if low < end, moveBytes[low] == byte { return moveTargets[low] }
            s = fail[Int(s)]
        }
        return rootMoves[Int(byte)]
    }

    private static func isWordByte(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) }
}
