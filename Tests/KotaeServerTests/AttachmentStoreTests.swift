import Foundation
import KotaeCore
import Testing

@testable import KotaeServer

@Suite struct AttachmentStoreTests {
    /// Files are named by their content: the same picture saved twice at once (a reply's
    /// picture while a customer's profile picture with the same bytes is fetched) is one file,
    /// and neither save fails.
    @Test func theSameBytesSavedAtOnceAreOneFileAndNoSaveFails() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kotae-files-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = AttachmentStore(dataDirectory: dir.path)
        let bytes = Data((0..<200_000).map { UInt8($0 % 251) })
        let saved = try await withThrowingTaskGroup(of: Attachment.self) { group in
            for i in 0..<16 { group.addTask { try store.save(bytes, filename: "p\(i).png", contentType: "image/png") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(saved.count == 16 && Set(saved.map(\.sha256)).count == 1)
        let folder = store.path(for: saved[0].sha256).deletingLastPathComponent()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [saved[0].sha256], "no temporary file left")
        #expect(try Data(contentsOf: store.path(for: saved[0].sha256)) == bytes)
    }
}
