import KotaeChannels

extension JobRunner.JobResult {
    /// A failed Graph call in a background job: a throttle waits as Meta says, a fault heals
    /// soon, the rest is final.
    static func graph(_ e: GraphError) -> Self {
        if e.throttled { return .throttled(e.description, after: e.regainAccessAfter) }
        return e.transient ? .retry(e.description, after: nil) : .fail(e.description)
    }
}
