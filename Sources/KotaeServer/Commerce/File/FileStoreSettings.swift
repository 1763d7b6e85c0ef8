import KotaeCore

/// A store whose orders are imported from files (`kotae orders import`): how its order
/// numbers are written, and the Shopify store that makes its replacements, if any
/// (`CommerceStore.replacementStoreSetting`). It has no credentials: nothing is asked of it.
struct FileStoreSettings: ChannelFieldSet {
    var orderPrefix: String?
    var orderSuffix: String?
    var replacementStore: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case orderPrefix, orderSuffix, replacementStore }
}
