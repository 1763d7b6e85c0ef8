import Foundation

/// `kotae eval replies DIR`: the checker on `DIR/replies.jsonl` (the format of shared/eval),
/// F1 per issue kind.
public struct ReplyEvaluation: Sendable {
    public struct Item: Decodable, Sendable {
        public let text: String
        public let locale: String
        public let context: String
        public let issues: [String]
    }

    public let items: [Item]

    public init(directory: URL) throws {
        let lines = try String(contentsOf: directory.appendingPathComponent("replies.jsonl"), encoding: .utf8).split(separator: "\n")
        items = try lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map {
            try JSONDecoder().decode(Item.self, from: Data($0.utf8))
        }
    }

    /// The kinds a labelled set can say something about.
    public static let measured: [ReplyIssue.Kind] = [.vaguePromise, .noApology, .tooLong, .blamesCustomer, .phoneOnly]

    public struct Report: Sendable {
        public var counts: [ReplyIssue.Kind: (tp: Int, fp: Int, fn: Int)] = [:]

        public func f1(_ kind: ReplyIssue.Kind) -> Double {
            let c = counts[kind] ?? (0, 0, 0)
            let p = c.tp + c.fp == 0 ? 0 : Double(c.tp) / Double(c.tp + c.fp)
            let r = c.tp + c.fn == 0 ? 0 : Double(c.tp) / Double(c.tp + c.fn)
            return p + r == 0 ? 0 : 2 * p * r / (p + r)
        }
    }

    public static func found(_ item: Item) -> Set<ReplyIssue.Kind> {
        Set(ReplyChecker().check(item.text, ReplyChecker.Context(complaint: item.context == "complaint")).map(\.kind))
    }

    public func run() -> Report {
        var r = Report()
        for item in items {
            let got = Self.found(item)
            let want = Set(item.issues.compactMap(ReplyIssue.Kind.init(rawValue:)))
            for kind in Self.measured {
                switch (want.contains(kind), got.contains(kind)) {
                case (true, true): r.counts[kind, default: (0, 0, 0)].tp += 1
                case (false, true): r.counts[kind, default: (0, 0, 0)].fp += 1
                case (true, false): r.counts[kind, default: (0, 0, 0)].fn += 1
                case (false, false): break
                }
            }
        }
        return r
    }
}
