import Foundation
import HTTPTypes
import Hummingbird
import KotaeCore
import KotaeStore

/// The reports API: one report as JSON (`GET /api/v1/reports`) and each of its tables as CSV
/// (`GET /api/v1/reports/{table}.csv`), for admins.
struct ReportsController {
    let app: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("reports", use: report)
        group.get("reports/:table", use: csv)
    }

    /// The query of a request, or a 422 naming the parameter.
    func query(_ request: Request) async throws -> ReportQuery {
        let zone = try await app.store.reports.timeZone()
        var p: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { p[String(k)] = String(v) }
        do {
            return try ReportQuery.read(p, today: LocalDate(of: app.clock.now, in: zone))
        } catch {
            throw APIError.invalid(error.field, "\(error.field) must be \(error.reason)")
        }
    }

    func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        let data = try await ReportBuilder(store: app.store).build(try await query(request))
        return try context.json(data, request)
    }

    func csv(_ request: Request, context: AppRequestContext) async throws -> Response {
        let name = context.parameters.get("table") ?? ""
        guard name.hasSuffix(".csv"), ReportCSV.tables.contains(String(name.dropLast(4))) else { throw APIError.notFound("report table") }
        let table = String(name.dropLast(4))
        let q = try await query(request)
        let data = try await ReportBuilder(store: app.store).build(q)
        let lang = WebStrings.language(user: context.identity?.locale, acceptLanguage: request.headers[.acceptLanguage])
        let rows = ReportCSV.rows(table, data, t: WebStrings.table(lang)) ?? []
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"kotae-\(table)-\(data.from)_\(data.to).csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: ReportCSV.document(rows))))
    }
}
