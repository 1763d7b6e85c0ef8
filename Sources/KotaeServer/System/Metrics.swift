import Foundation
import Prometheus

/// The counters `/metrics` exposes, on this app's own registry (no process-wide state,
/// so tests can run several apps in one process).
public final class KotaeMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let requestDuration: DurationHistogram
    let ingested: Counter
    let duplicates: Counter
    let webhookRejected: Counter
    let jobQueueDepth: Gauge
    let slaBreached: Gauge
    let jobsFailed: Counter

    init() {
        requestDuration = registry.makeDurationHistogram(
            name: "kotae_http_request_duration_seconds",
            buckets: [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20),
                      .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)],
            help: "HTTP request latency")
        ingested = registry.makeCounter(name: "kotae_messages_ingested_total", help: "Inbound messages stored")
        duplicates = registry.makeCounter(name: "kotae_messages_duplicate_total", help: "Retried deliveries recognised as duplicates")
        webhookRejected = registry.makeCounter(name: "kotae_webhooks_rejected_total", help: "Platform webhooks refused for a bad or missing signature")
        jobQueueDepth = registry.makeGauge(name: "kotae_job_queue_depth", help: "Jobs queued or running")
        slaBreached = registry.makeGauge(name: "kotae_sla_breached_conversations", help: "Open conversations past their due time")
        jobsFailed = registry.makeCounter(name: "kotae_jobs_failed_total", help: "Job attempts that failed")
    }

    func exposition() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
