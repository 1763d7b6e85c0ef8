/// A canned response with `{contact.name}`-style variables.
/// Unknown variables stay visible as written, so an agent sees what was not filled
/// instead of sending a reply with a silent gap.
public struct CannedTemplate: Sendable, Equatable {
    public let text: String

    public init(_ text: String) { self.text = text }

    /// Variables the template uses, in order of first appearance.
    public var variables: [String] {
        var seen: [String] = []
        for piece in pieces() { if case .variable(let v) = piece, !seen.contains(v) { seen.append(v) } }
        return seen
    }

    public func render(_ values: [String: String]) -> String {
        var out = ""
        for piece in pieces() {
            switch piece {
            case .literal(let s): out += s
            case .variable(let v): out += values[v] ?? "{\(v)}"
            }
        }
        return out
    }

    private enum Piece { case literal(String), variable(String) }

    /// `{name.part}` with letters, digits, `_` and dots is a variable; any other brace is text.
    private func pieces() -> [Piece] {
        var result: [Piece] = []
        var literal = ""
        var i = text.startIndex
        while i < text.endIndex {
            if text[i] == "{", let close = text[i...].firstIndex(of: "}") {
                let name = text[text.index(after: i)..<close]
                if !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }) {
                    if !literal.isEmpty { result.append(.literal(literal)); literal = "" }
                    result.append(.variable(String(name)))
                    i = text.index(after: close)
                    continue
                }
            }
            literal.append(text[i])
            i = text.index(after: i)
        }
        if !literal.isEmpty { result.append(.literal(literal)) }
        return result
    }
}
