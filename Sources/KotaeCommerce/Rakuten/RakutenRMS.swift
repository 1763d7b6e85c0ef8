import AsyncHTTPClient
import Foundation
import KotaeCore
import NIOCore
import NIOFoundationCompat

/// Rakuten Ichiba's RMS WEB SERVICE, the RakutenPayOrderAPI calls Kotae reads orders with:
/// `searchOrder` (order numbers by the buyer's masked address, in windows of at most 63 days
/// over the last two years) and `getOrder` (at most 100 numbers a call). Signed in with
/// `ESA base64(serviceSecret:licenseKey)`; the licence key must be issued again every 90 days.
public struct RakutenRMS: Sendable {
    public static let defaultBase = "https://api.rms.rakuten.co.jp"
    /// The longest window searchOrder takes, and how far back it looks.
    public static let windowDays = 63
    public static let historyDays = 730
    /// getOrder's limit per call.
    public static let orderBatch = 100

    let http: HTTPClient
    let base: String
    let authorization: String
    let timeout: TimeAmount

    public init(
        http: HTTPClient, base: String = RakutenRMS.defaultBase, serviceSecret: String, licenseKey: String, timeout: TimeAmount = .seconds(10)
    ) {
        self.http = http
        self.base = base
        self.authorization = "ESA " + Data("\(serviceSecret):\(licenseKey)".utf8).base64EncodedString()
        self.timeout = timeout
    }

    /// Order numbers of orders placed in `from...to` by the buyer with `mailAddress`.
    public func searchOrder(mailAddress: String, from: Date, to: Date) async throws -> [String] {
        var numbers: [String] = []
        var page = 1
        while true {
            let body: [String: Any] = [
                "dateType": 1, "startDatetime": Self.format(from), "endDatetime": Self.format(to), "ordererMailAddress": mailAddress,
                "PaginationRequestModel": [
                    "requestRecordsAmount": 1000, "requestPage": page, "SortModelList": [["sortColumn": 1, "sortDirection": 2]],
                ],
            ]
            struct Answer: Decodable {
                struct Pages: Decodable { let totalPages: Int? }
                let orderNumberList: [String]?
                let PaginationResponseModel: Pages?
            }
            let answer = try JSONDecoder().decode(Answer.self, from: try await call("searchOrder", body))
            numbers += answer.orderNumberList ?? []
            guard page < (answer.PaginationResponseModel?.totalPages ?? 1) else { return numbers }
            page += 1
        }
    }

    /// The orders with `numbers`, asked for 100 at a time.
    public func getOrder(_ numbers: [String]) async throws -> [RakutenOrder] {
        var orders: [RakutenOrder] = []
        for start in stride(from: 0, to: numbers.count, by: Self.orderBatch) {
            let batch = Array(numbers[start..<min(start + Self.orderBatch, numbers.count)])
            struct Answer: Decodable { let OrderModelList: [RakutenOrder]? }
            orders +=
                try JSONDecoder().decode(Answer.self, from: try await call("getOrder", ["orderNumberList": batch, "version": 7])).OrderModelList ?? []
        }
        return orders
    }

    /// The search windows covering the last two years, newest first.
    public static func windows(until now: Date) -> [(from: Date, to: Date)] {
        var windows: [(Date, Date)] = []
        var to = now
        let earliest = now.addingTimeInterval(-Double(historyDays) * 86_400)
        while to > earliest {
            let from = max(earliest, to.addingTimeInterval(-Double(windowDays) * 86_400 + 1))
            windows.append((from, to))
            to = from.addingTimeInterval(-1)
        }
        return windows
    }

    /// `2026-09-30T00:00:00+0900`: Japan's time, the offset without a colon.
    static func format(_ date: Date) -> String { ShopDates.formatter(pattern).string(from: date) }

    static let pattern = "yyyy-MM-dd'T'HH:mm:ssZ"

    private func call(_ operation: String, _ body: [String: Any]) async throws -> Data {
        var request = HTTPClientRequest(url: "\(base)/es/2.0/order/\(operation)/")
        request.method = .POST
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        let status: UInt
        let data: Data
        do {
            let response = try await http.execute(request, timeout: timeout)
            status = response.status.code
            data = Data(buffer: try await response.body.collect(upTo: 16 << 20))
        } catch {
            throw CommerceError(.unreachable, "RMS could not be reached: \(error)")
        }
        guard status == 200 else {
            let words = Self.messages(data) ?? String(decoding: data.prefix(300), as: UTF8.self)
            throw CommerceError(
                status == 401 || status == 403 ? .signIn : status >= 500 || status == 429 ? .unreachable : .refused,
                "RMS answered \(status): \(words)")
        }
        return data
    }

    /// RMS's own words: `MessageModelList[].message` with its code.
    static func messages(_ data: Data) -> String? {
        struct Answer: Decodable {
            struct Message: Decodable {
                let messageCode: String?
                let message: String?
            }
            let MessageModelList: [Message]?
        }
        guard let list = (try? JSONDecoder().decode(Answer.self, from: data))?.MessageModelList, !list.isEmpty else { return nil }
        return list.map { [$0.messageCode, $0.message].compactMap { $0 }.joined(separator: " ") }.joined(separator: "; ")
    }
}
