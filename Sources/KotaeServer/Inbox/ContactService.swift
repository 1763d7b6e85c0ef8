import Foundation
import KotaeCore
import KotaeStore

/// Merging contacts and undoing a merge: stored, then every open inbox and contact page
/// hears of it (conversations moved from one customer to another).
struct ContactService: Sendable {
    let store: KotaeStore
    let hub: EventHub

    func merge(source: ID, into target: ID, actor: ID) async throws -> Contact {
        let merged = try await store.contacts.mergeContacts(source: source, into: target, actor: actor)
        hub.publish(.contactMerged)
        return merged
    }

    /// Each contact as it was before merge `id`.
    func undoMerge(id: ID, actor: ID) async throws -> (source: Contact, target: Contact) {
        let (source, target) = try await store.contacts.undoMerge(id: id, actor: actor)
        hub.publish(.contactMerged)
        return (source, target)
    }
}
