import Foundation
import KotaeCore

/// A file in a JSON body: inbound messages from the API channel, agents' replies and notes
/// (a screenshot pasted into the composer).
struct AttachmentInput: Decodable {
    let filename: String
    let contentType: String
    let dataBase64: String

    /// The largest file a JSON body may carry: as base64 it must fit the 25 MB body limit.
    static let maxBytes = 15 * 1024 * 1024

    /// Checks every file before any is stored, then stores them all (content-addressed,
    /// so a request that fails later leaves no record pointing at a half-written file).
    /// `check` sees the files (name, type, size) before any is stored and may refuse them.
    static func store(
        _ files: [AttachmentInput], in store: AttachmentStore,
        check: ([Attachment]) throws -> Void = { _ in }
    ) throws -> [Attachment] {
        var decoded: [(Data, AttachmentInput)] = []
        for (i, f) in files.enumerated() {
            guard let data = Data(base64Encoded: f.dataBase64) else {
                throw APIError.invalid("attachments[\(i)].dataBase64", "attachments[\(i)].dataBase64 is not base64")
            }
            guard data.count <= maxBytes else {
                throw APIError.invalid("attachments[\(i)].dataBase64", "attachments[\(i)] is larger than \(maxBytes / 1024 / 1024) MB")
            }
            guard !f.filename.isEmpty, f.filename.count <= 255, !f.filename.contains("/") else {
                throw APIError.invalid("attachments[\(i)].filename", "attachments[\(i)].filename must be a plain file name")
            }
            decoded.append((data, f))
        }
        try check(decoded.map { Attachment(sha256: "", filename: $0.1.filename, contentType: $0.1.contentType, size: $0.0.count) })
        return try decoded.map { try store.save($0.0, filename: $0.1.filename, contentType: $0.1.contentType) }
    }
}
