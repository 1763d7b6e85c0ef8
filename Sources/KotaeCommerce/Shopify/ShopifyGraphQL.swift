import KotaeCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// One query or mutation: its text, its variables and what it may cost (Shopify charges the
/// requested cost up front, so the bucket must hold that much).
public struct ShopifyOperation: Sendable {
    public let name: String
    public let query: String
    public let variables: [String: GraphQLValue]
    public let cost: Double

    public init(name: String, query: String, variables: [String: GraphQLValue] = [:], cost: Double) {
        self.name = name
        self.query = query
        self.variables = variables
        self.cost = cost
    }
}

/// The GraphQL Admin API of one store. Every answer's `throttleStatus` feeds the store's
/// bucket; `THROTTLED` in the body is waited out and retried whatever the HTTP status (Shopify
/// has sent it with 200 and with 429); a refused client-credentials token is renewed once.
public struct ShopifyGraphQL: Sendable {
    let http: HTTPClient
    let url: String
    public let token: ShopifyAccessToken
    public let bucket: ShopifyCostBucket
    let timeout: TimeAmount
    /// How often a throttled call is tried again before giving up.
    let throttleRetries: Int
    let pause: @Sendable (TimeInterval) async throws -> Void

    public init(
        http: HTTPClient, base: String, token: ShopifyAccessToken, bucket: ShopifyCostBucket = ShopifyCostBucket(),
        timeout: TimeAmount = .seconds(10), throttleRetries: Int = 4,
        pause: @escaping @Sendable (TimeInterval) async throws -> Void = { try await Task.sleep(for: .seconds($0)) }
    ) {
        self.http = http
        self.url = ShopifyAPI.graphQLURL(base: base)
        self.token = token
        self.bucket = bucket
        self.timeout = timeout
        self.throttleRetries = throttleRetries
        self.pause = pause
    }

    /// Runs `operation` and decodes its `data` as `D`.
    public func run<D: Decodable>(_ operation: ShopifyOperation, as type: D.Type = D.self) async throws -> D {
        var throttled = 0
        // Kotae's estimate, until Shopify says what the query costs.
        var cost = operation.cost
        var renewed = false
        while true {
            let wait = await bucket.reserve(cost: cost)
            if wait > 0 { try await pause(wait) }
            let (status, body) = try await send(operation, token: try await token.token())
            if status == 401, token.renewable, !renewed {
                renewed = true
                await token.invalidate()
                continue
            }
            let envelope = try? JSONDecoder().decode(Envelope<D>.self, from: body)
            if let said = envelope?.extensions?.cost { await bucket.update(said.throttleStatus) }
            if let envelope, envelope.errors?.contains(where: { $0.extensions?.code == "THROTTLED" }) == true {
                throttled += 1
                guard throttled <= throttleRetries else {
                    throw CommerceError(.refused, "Shopify kept throttling \(operation.name) after \(throttleRetries) waits")
                }
                let said = envelope.extensions?.cost
                cost = said?.requestedQueryCost ?? cost
                try await pause(
                    said.map { ShopifyCostBucket.wait(requested: cost, status: $0.throttleStatus) } ?? 1)
                continue
            }
            switch status {
            case 200: break
            case 401: throw CommerceError(.signIn, "Shopify refused the access token: \(Self.words(body))")
            case 402, 403, 404, 423: throw CommerceError(.refused, "Shopify answered \(status): \(Self.words(body))")
            case 429, 500...: throw CommerceError(.unreachable, "Shopify answered \(status): \(Self.words(body))")
            default: throw CommerceError(.refused, "Shopify answered \(status): \(Self.words(body))")
            }
            guard let envelope else { throw CommerceError(.badAnswer, "Shopify's answer to \(operation.name) could not be read") }
            if let errors = envelope.errors, !errors.isEmpty {
                throw CommerceError(.refused, errors.map(\.message).joined(separator: "; "))
            }
            guard let data = envelope.data else { throw CommerceError(.badAnswer, "Shopify sent no data for \(operation.name)") }
            return data
        }
    }

    private func send(_ operation: ShopifyOperation, token: String) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "X-Shopify-Access-Token", value: token)
        let payload = Payload(query: operation.query, operationName: operation.name, variables: operation.variables)
        request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(payload)))
        do {
            let response = try await http.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 8 * 1024 * 1024)
            return (Int(response.status.code), Data(buffer: body))
        } catch {
            throw CommerceError(.unreachable, "Shopify could not be reached: \(error)")
        }
    }

    /// The platform's words from an error body, short.
    static func words(_ body: Data) -> String {
        struct Errors: Decodable {
            struct Message: Decodable { let message: String }
            let errors: Lenient
            enum Lenient: Decodable {
                case text(String), list([Message])
                init(from decoder: any Decoder) throws {
                    let c = try decoder.singleValueContainer()
                    if let s = try? c.decode(String.self) { self = .text(s) } else { self = .list(try c.decode([Message].self)) }
                }
            }
        }
        switch (try? JSONDecoder().decode(Errors.self, from: body))?.errors {
        case .text(let s): return s
        case .list(let list): return list.map(\.message).joined(separator: "; ")
        case nil: return String(decoding: body.prefix(300), as: UTF8.self)
        }
    }

    private struct Payload: Encodable {
        let query: String
        let operationName: String
        let variables: [String: GraphQLValue]
    }

    struct Envelope<D: Decodable>: Decodable {
        let data: D?
        let errors: [GraphQLError]?
        let extensions: Extensions?
    }

    struct GraphQLError: Decodable {
        let message: String
        let extensions: Code?
        struct Code: Decodable { let code: String? }
    }

    struct Extensions: Decodable {
        let cost: Cost?
        struct Cost: Decodable {
            let requestedQueryCost: Double?
            let actualQueryCost: Double?
            let throttleStatus: ShopifyCostBucket.Status
        }
    }
}

/// A GraphQL variable's value.
public indirect enum GraphQLValue: Encodable, Sendable, Equatable {
    case string(String), int(Int), double(Double), bool(Bool), null
    case list([GraphQLValue]), object([String: GraphQLValue])

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let v): try c.encode(v)
        case .int(let v): try c.encode(v)
        case .double(let v): try c.encode(v)
        case .bool(let v): try c.encode(v)
        case .null: try c.encodeNil()
        case .list(let v): try c.encode(v)
        case .object(let v): try c.encode(v)
        }
    }
}
