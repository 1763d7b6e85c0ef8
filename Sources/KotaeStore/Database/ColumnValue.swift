/// A value to store in a column, comparable so that an UPDATE can leave unchanged columns out.
enum ColumnValue: Equatable, Encodable, Sendable {
    case int(Int64?)
    case real(Double?)
    case text(String?)
    /// Stored as 0 or 1 in both dialects.
    case bool(Bool)

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .int(let v?): try c.encode(v)
        case .real(let v?): try c.encode(v)
        case .text(let v?): try c.encode(v)
        case .bool(let b): try c.encode(Int64(b ? 1 : 0))
        case .int(nil), .real(nil), .text(nil): try c.encodeNil()
        }
    }
}
