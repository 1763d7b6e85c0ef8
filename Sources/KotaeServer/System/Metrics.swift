import Foundation
import Metrics
import Prometheus

/// Kotae's own metrics, recorded through swift-metrics into this app's Prometheus registry
/// (no process-wide state: tests run several apps in one process, each with its numbers).
/// Hummingbird's `MetricsMiddleware` records the HTTP requests through the process-wide
/// `MetricsSystem`, bootstrapped once with `KotaeMetrics.shared`; `/metrics` shows both.
public final class KotaeMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let ingested: Metrics.Counter
    let duplicates: Metrics.Counter
    let webhookRejected: Metrics.Counter
    let jobQueueDepth: Metrics.Gauge
    let slaBreached: Metrics.Gauge
    let jobsFailed: Metrics.Counter

    init() {
        let factory = PrometheusMetricsFactory(registry: registry)
        ingested = Metrics.Counter(label: "kotae_messages_ingested_total", factory: factory)
        duplicates = Metrics.Counter(label: "kotae_messages_duplicate_total", factory: factory)
        webhookRejected = Metrics.Counter(label: "kotae_webhooks_rejected_total", factory: factory)
        jobQueueDepth = Metrics.Gauge(label: "kotae_job_queue_depth", factory: factory)
        slaBreached = Metrics.Gauge(label: "kotae_sla_breached_conversations", factory: factory)
        jobsFailed = Metrics.Counter(label: "kotae_jobs_failed_total", factory: factory)
    }

    /// The registry Hummingbird's request metrics go to: one per process, as `MetricsSystem` is.
    static let shared: PrometheusCollectorRegistry = {
        var factory = PrometheusMetricsFactory(registry: PrometheusCollectorRegistry())
        // Request latency from a millisecond to five seconds.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(5),
        ]
        MetricsSystem.bootstrap(factory)
        return factory.registry
    }()

    /// Prometheus's text format: this app's metrics, then the process's HTTP request metrics.
    func exposition() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        Self.shared.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
