import AsyncHTTPClient
import Foundation
import KotaeCore
import NIOCore
import NIOFoundationCompat

/// BASE's API (`https://api.thebase.in`): orders by date, then each order's detail (there is no
/// search by address, so Kotae keeps a copy and matches it itself). OAuth 2.0: an access token
/// lasts an hour and is renewed with the refresh token, which BASE may replace on each renewal
/// (`rotated` stores the new one). A shop may make 5,000 calls an hour and 100,000 a day;
/// `budget` keeps Kotae under both.
public struct BaseAPI: Sendable {
    public static let defaultBase = "https://api.thebase.in"
    let http: HTTPClient
    let base: String
    let token: BaseAccessToken
    let budget: BaseCallBudget
    let timeout: TimeAmount

    public init(
        http: HTTPClient, base: String = BaseAPI.defaultBase, token: BaseAccessToken, budget: BaseCallBudget, timeout: TimeAmount = .seconds(10)
    ) {
        self.http = http
        self.base = base
        self.token = token
        self.budget = budget
        self.timeout = timeout
    }

    /// One page (at most 100) of the orders placed between two days.
    public func orders(from: Date, to: Date, offset: Int) async throws -> [BaseOrderSummary] {
        struct Page: Decodable { let orders: [BaseOrderSummary] }
        let query = "start_ordered=\(Self.day(from))&end_ordered=\(Self.day(to))&limit=100&offset=\(offset)"
        return try JSONDecoder().decode(Page.self, from: try await get("/1/orders?" + query)).orders
    }

    public func detail(_ key: String) async throws -> BaseOrder? {
        struct One: Decodable { let order: BaseOrder }
        guard let key = key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) else { return nil }
        do { return try JSONDecoder().decode(One.self, from: try await get("/1/orders/detail/" + key)).order } catch let e as CommerceError
            where e.kind == .refused && e.message.contains("404")
        {
            return nil
        }
    }

    static func day(_ date: Date) -> String { ShopDates.formatter("yyyy-MM-dd").string(from: date) }

    private func get(_ path: String) async throws -> Data {
        try await budget.spend()
        var renewed = false
        while true {
            var request = HTTPClientRequest(url: base + path)
            request.headers.add(name: "Authorization", value: "Bearer " + (try await token.token()))
            let status: UInt
            let data: Data
            do {
                let response = try await http.execute(request, timeout: timeout)
                status = response.status.code
                data = Data(buffer: try await response.body.collect(upTo: 8 << 20))
            } catch {
                throw CommerceError(.unreachable, "BASE could not be reached: \(error)")
            }
            if status == 401, !renewed {
                renewed = true
                await token.invalidate()
                continue
            }
            guard status == 200 else {
                struct Problem: Decodable {
                    let error: String?
                    let error_description: String?
                }
                let problem = try? JSONDecoder().decode(Problem.self, from: data)
                let words = [problem?.error, problem?.error_description].compactMap { $0 }.joined(separator: ": ")
                let said = words.isEmpty ? String(decoding: data.prefix(300), as: UTF8.self) : words
                if problem?.error == "hour_api_limit" || problem?.error == "day_api_limit" {
                    await budget.exhausted(day: problem?.error == "day_api_limit")
                }
                throw CommerceError(status == 401 ? .signIn : status >= 500 ? .unreachable : .refused, "BASE answered \(status): \(said)")
            }
            return data
        }
    }
}

/// BASE's limits, kept on this side: calls counted per clock hour and per day (BASE resets on
/// the hour), a tenth of each kept back for the agents' own looks, and nothing more asked once
/// BASE said a limit was reached until the next hour or day.
public actor BaseCallBudget {
    let hourly: Int
    let daily: Int
    let now: @Sendable () -> Date
    private var hour = ""
    private var day = ""
    private var usedHour = 0
    private var usedDay = 0

    public init(hourly: Int = 4_500, daily: Int = 90_000, now: @escaping @Sendable () -> Date = { Date() }) {
        self.hourly = hourly
        self.daily = daily
        self.now = now
    }

    public func spend() throws {
        let (h, d) = windows()
        if h != hour { (hour, usedHour) = (h, 0) }
        if d != day { (day, usedDay) = (d, 0) }
        guard usedHour < hourly else { throw CommerceError(.refused, "BASE's hourly limit is used; the next calls wait for the next hour") }
        guard usedDay < daily else { throw CommerceError(.refused, "BASE's daily limit is used; the next calls wait for tomorrow") }
        usedHour += 1
        usedDay += 1
    }

    func exhausted(day whole: Bool) {
        _ = windows()
        usedHour = hourly
        if whole { usedDay = daily }
    }

    public var used: (hour: Int, day: Int) { (usedHour, usedDay) }

    private func windows() -> (String, String) {
        let h = ShopDates.formatter("yyyy-MM-dd HH").string(from: now())
        return (h, String(h.prefix(10)))
    }
}

/// The access token, renewed with the refresh token an hour at a time.
public actor BaseAccessToken {
    let http: HTTPClient
    let url: String
    let clientId: String
    let clientSecret: String
    private var refreshToken: String
    let rotated: @Sendable (String) async -> Void
    private var current: (token: String, expires: Date)?

    public init(
        http: HTTPClient, base: String, clientId: String, clientSecret: String, refreshToken: String,
        rotated: @escaping @Sendable (String) async -> Void
    ) {
        self.http = http
        self.url = base + "/1/oauth/token"
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.refreshToken = refreshToken
        self.rotated = rotated
    }

    func invalidate() { current = nil }

    func token() async throws -> String {
        if let current, current.expires.timeIntervalSinceNow > 120 { return current.token }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let form = [("grant_type", "refresh_token"), ("client_id", clientId), ("client_secret", clientSecret), ("refresh_token", refreshToken)]
            .map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $1)" }.joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: form))
        let status: UInt
        let data: Data
        do {
            let response = try await http.execute(request, timeout: .seconds(10))
            status = response.status.code
            data = Data(buffer: try await response.body.collect(upTo: 64 * 1024))
        } catch {
            throw CommerceError(.unreachable, "BASE could not be reached for a token: \(error)")
        }
        struct Answer: Decodable {
            let access_token: String
            let refresh_token: String?
            let expires_in: Double?
        }
        guard status == 200, let answer = try? JSONDecoder().decode(Answer.self, from: data) else {
            throw CommerceError(.signIn, "BASE refused the refresh token (\(status)): \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        if let next = answer.refresh_token, next != refreshToken {
            refreshToken = next
            await rotated(next)
        }
        current = (answer.access_token, Date().addingTimeInterval(answer.expires_in ?? 3600))
        return answer.access_token
    }
}
