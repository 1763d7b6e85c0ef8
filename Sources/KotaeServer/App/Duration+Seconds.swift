extension Duration {
    /// The span in seconds, as a number (for rates: the import's summary, the benchmarks).
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
