import KotaeCore

/// What an admin fills in for one kind of inbox, derived from the channel's typed settings and
/// credentials (`ChannelFieldSet`), and the check of what the API is sent for it.
struct ChannelForm: Sendable {
    let settings: [ChannelField]
    let credentials: [ChannelField]
    private let settingsProblems: @Sendable ([String: String]) -> [FieldProblem]

    init<S: ChannelFieldSet, C: ChannelFieldSet>(settings: S.Type, credentials: C.Type, plus extra: [ChannelField] = []) {
        self.settings = S.fields + extra
        // Credentials are secret whatever their type says: they are sealed and never shown.
        self.credentials = C.fields.map { ChannelField(key: $0.key, kind: .secret) }
        self.settingsProblems = { values in
            do {
                return try S(stored: values).problems().map { FieldProblem(key: "settings.\($0.key)", message: $0.message) }
            } catch {
                return [FieldProblem(key: "settings", message: "the settings cannot be read: \(error)")]
            }
        }
    }

    /// What is wrong with settings and credentials sent for a `channel` inbox (or another
    /// `thing`, a store): a key the channel does not have (a typo would otherwise be stored and
    /// silently do nothing), or a value that cannot work. Empty values remove a key and are not checked.
    func problems(settings: [String: String]?, credentials: [String: String]?, channel: String, thing: String = "inbox") -> [FieldProblem] {
        func unknown(_ values: [String: String]?, _ fields: [ChannelField], _ group: String) -> [FieldProblem] {
            let known = Set(fields.map(\.key))
            return (values ?? [:]).keys.sorted().filter { !known.contains($0) }.map { key in
                let listed = fields.isEmpty ? "none" : fields.map(\.key).joined(separator: ", ")
                return FieldProblem(key: "\(group).\(key)", message: "a \(channel) \(thing) has no \(group) key \"\(key)\" (it has: \(listed))")
            }
        }
        let given = (settings ?? [:]).filter { !$0.value.isEmpty }
        return unknown(settings, self.settings, "settings") + unknown(credentials, self.credentials, "credentials") + settingsProblems(given)
    }
}

/// The settings of channels whose adapter is not built yet (web forms); each moves into its
/// channel's folder then.
enum UnbuiltChannelForms {
    struct WebSettings: ChannelFieldSet {
        var allowedOrigins: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case allowedOrigins }
    }

    static func form(for kind: ChannelKind) -> ChannelForm {
        switch kind {
        case .form: ChannelForm(settings: WebSettings.self, credentials: NoChannelFields.self)
        default: ChannelForm(settings: NoChannelFields.self, credentials: NoChannelFields.self)
        }
    }
}
