import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// Health, Prometheus metrics and the OpenAPI document: no sign-in needed.
struct SystemController {
    let app: AppServices

    func addRoutes(to router: Router<AppRequestContext>) {
        addProbeRoutes(to: router)
        router.get("openapi.json", use: openapi)
        router.get("favicon.ico", use: favicon)
    }

    /// What a monitor asks of every instance, a worker's too.
    func addProbeRoutes(to router: Router<AppRequestContext>) {
        router.get("health", use: health)
        router.get("metrics", use: metrics)
    }

    /// Liveness for a load balancer or monitor: 200 while the database answers and the
    /// storage has room; 503 naming what is wrong otherwise (a full disk among them).
    func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        let database = app.store.dialect.rawValue
        do {
            _ = try await app.store.accounts.userCount()
        } catch {
            return try context.json(Health(status: "unavailable", database: database, storage: nil), request, status: .serviceUnavailable)
        }
        if let problem = app.storage.problem() {
            return try context.json(Health(status: "unavailable", database: database, storage: problem), request, status: .serviceUnavailable)
        }
        return try context.json(Health(status: "ok", database: database, storage: nil), request)
    }

    struct Health: Encodable {
        let status: String
        let database: String
        /// What is wrong with the storage; absent when nothing is.
        let storage: String?
    }

    func metrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: .init(byteBuffer: ByteBuffer(string: app.metrics.exposition())))
    }

    func openapi(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
    }

    /// Browsers ask for /favicon.ico whatever the page says: the same icon, as SVG.
    func favicon(_ request: Request, context: AppRequestContext) async throws -> Response {
        let path = try WebTemplates.resourceFolder("assets") + "/favicon.svg"
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return Response(
            status: .ok, headers: [.contentType: "image/svg+xml", .cacheControl: "max-age=86400"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
