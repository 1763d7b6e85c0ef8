/// Every cue of every label in one Aho–Corasick automaton over UTF-8 bytes: a message is read
/// once, whatever the number of cues, so triage costs little on the way in.
struct CueAutomaton: Sendable {
    struct Cue: Sendable {
        let length: Int
        let weight: Double
        /// Which score it adds to (an intent, the tone, urgency, …).
        let label: Int
        /// English: only from the start of a word ("pay" in "repay" is not paying).
        let wordStart: Bool
    }

    private var next: [[UInt8: Int32]] = [[:]]
    private var fail: [Int32] = [0]
    /// The cues that end at each state, its fail chain's included.
    private var ends: [[Int32]] = [[]]
    let cues: [Cue]

    init(_ patterns: [(bytes: [UInt8], cue: Cue)]) {
        cues = patterns.map(\.cue)
        for (i, p) in patterns.enumerated() where !p.bytes.isEmpty {
            var state = 0
            for b in p.bytes {
                if let s = next[state][b] {
                    state = Int(s)
                } else {
                    next.append([:])
                    fail.append(0)
                    ends.append([])
                    next[state][b] = Int32(next.count - 1)
                    state = next.count - 1
                }
            }
            ends[state].append(Int32(i))
        }
        // Breadth first: each state's fail link is the longest proper suffix that is a state.
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
    }

    /// The cues found in `text` (each once).
    func matches(_ text: [UInt8]) -> Set<Int> {
        var found = Set<Int>()
        var state = 0
        for (i, b) in text.enumerated() {
            while state != 0 && next[state][b] == nil { state = Int(fail[state]) }
            state = next[state][b].map(Int.init) ?? 0
            for e in ends[state] {
                let cue = cues[Int(e)]
                let start = i + 1 - cue.length
                if cue.wordStart && start > 0 && Self.isWordByte(text[start - 1]) { continue }
                found.insert(Int(e))
            }
        }
        return found
    }

    private static func isWordByte(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) }
}
