import Crypto
import Foundation
import KotaeCore

/// Files stored by content address (`attachments/ab/abcdef…`): the same file sent twice
/// is stored once, and a file is written before the message that refers to it is committed.
struct AttachmentStore: Sendable {
    let root: URL

    /// The store under a data directory (`<data-dir>/attachments`).
    init(dataDirectory: String) {
        root = URL(fileURLWithPath: dataDirectory).appendingPathComponent("attachments")
    }

    func save(_ data: Data, filename: String, contentType: String) throws -> Attachment {
        let hash = Hex.encode(SHA256.hash(data: data))
        let url = path(for: hash)
        if !FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Write beside, then rename: a crash never leaves half a file under the final name.
            let tmp = url.appendingPathExtension("tmp-\(UUID().uuidString)")
            try data.write(to: tmp)
            do {
                try FileManager.default.moveItem(at: tmp, to: url)
            } catch  where FileManager.default.fileExists(atPath: url.path) {
                // The same bytes were saved at the same moment (a reply's picture and a fetched
                // profile picture): the name is the content's hash, so the file there is this one.
                try? FileManager.default.removeItem(at: tmp)
            }
        }
        return Attachment(sha256: hash, filename: filename, contentType: contentType, size: data.count)
    }

    func path(for sha256: String) -> URL {
        root.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(sha256)
    }

    func load(_ sha256: String) -> Data? {
        guard sha256.count == 64, sha256.allSatisfy({ $0.isHexDigit }) else { return nil }
        return FileManager.default.contents(atPath: path(for: sha256).path)
    }
}
