import Foundation
import Hummingbird
import KotaeTesting
import Testing
@testable import KotaeServer

/// The OpenAPI document matches the routes, and real answers validate against it.
@Suite struct OpenAPITests {
    @Test func everyRouteIsDocumented() async throws {
        try await withTestApp { app in
            let router = buildRouter(app.services, templates: try await WebTemplates.load())
            let routes = Set(
                router.routes.map { route -> String in
                    let path = route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(
                        separator: "/")
                    return "\(route.method.rawValue.lowercased()) /\(path)"
                } + ["get /api/v1/stream"])
            let (_, doc) = try await app.admin(.get, "/openapi.json")
            #expect(doc["openapi"] as? String == "3.1.0")
            var documented = Set<String>()
            for (path, ops) in doc["paths"] as! [String: [String: Any]] { for method in ops.keys { documented.insert("\(method) \(path)") } }
            #expect(routes.subtracting(documented).isEmpty, "undocumented: \(routes.subtracting(documented).sorted())")
            #expect(documented.subtracting(routes).isEmpty, "documented but missing: \(documented.subtracting(routes).sorted())")
        }
    }

    @Test func responsesValidateAgainstTheDocument() async throws {
        try await withTestApp { app in
            let (_, doc) = try await app.admin(.get, "/openapi.json")
            let validator = SchemaValidator(document: doc)
            let inbox = try await app.makeInbox(channel: "email")
            let (_, ingested) = try await app.ingest(inbox: inbox, externalId: "1", text: "まだ?")
            let conv = ingested["conversationId"] as! Int
            _ = try await app.admin(.post, "/api/v1/conversations/\(conv)/reply", #"{"text":"本日発送しました"}"#)
            _ = try await app.admin(.post, "/api/v1/canned-responses", #"{"shortcut":"t","title":"t","body":"b"}"#)
            let contact = try #require(try await app.store.conversations.conversation(id: Int64(conv))).contactId

            let checks: [(String, String, String?, String)] = [
                ("get", "/health", nil, "/health"),
                ("get", "/api/v1/conversations", nil, "/api/v1/conversations"),
                ("get", "/api/v1/conversations/\(conv)", nil, "/api/v1/conversations/{id}"),
                ("post", "/api/v1/conversations/\(conv)/labels", #"{"add":["x"]}"#, "/api/v1/conversations/{id}/labels"),
                ("post", "/api/v1/conversations/\(conv)/notes", #"{"text":"n"}"#, "/api/v1/conversations/{id}/notes"),
                ("post", "/api/v1/conversations/\(conv)/reply", #"{"text":"r"}"#, "/api/v1/conversations/{id}/reply"),
                ("get", "/api/v1/contacts", nil, "/api/v1/contacts"),
                ("get", "/api/v1/contacts/\(contact)", nil, "/api/v1/contacts/{id}"),
                ("get", "/api/v1/users", nil, "/api/v1/users"),
                ("get", "/api/v1/teams", nil, "/api/v1/teams"),
                ("get", "/api/v1/inboxes", nil, "/api/v1/inboxes"),
                ("get", "/api/v1/canned-responses", nil, "/api/v1/canned-responses"),
                ("get", "/api/v1/stats/unanswered", nil, "/api/v1/stats/unanswered"),
                ("get", "/api/v1/search?q=%E3%81%BE%E3%81%A0", nil, "/api/v1/search"),
                ("get", "/api/v1/auth/me", nil, "/api/v1/auth/me"),
                (
                    "post", "/api/v1/inboxes/\(inbox)/messages",
                    #"{"contact":{"channel":"email","externalId":"a@b.jp"},"externalId":"2","text":"x"}"#, "/api/v1/inboxes/{id}/messages"
                ),
                ("get", "/api/v1/conversations/99999", nil, "/api/v1/conversations/{id}"),
                ("post", "/api/v1/conversations/\(conv)/status", #"{"status":"nope"}"#, "/api/v1/conversations/{id}/status"),
            ]
            for (method, path, body, template) in checks {
                let r = try await app.request(method == "get" ? .get : .post, path, token: app.adminToken, json: body)
                let schema = try #require(
                    validator.responseSchema(path: template, method: method, status: Int(r.status.code)),
                    "\(method) \(template) \(r.status.code) undocumented")
                let value = try JSONSerialization.jsonObject(with: Data(buffer: r.body), options: [.fragmentsAllowed])
                let errors = validator.validate(value, against: schema)
                #expect(errors.isEmpty, "\(method) \(path): \(errors)")
            }
        }
    }

    @Test func validatorCatchesAWrongShape() {
        let doc: [String: Any] = ["components": ["schemas": ["T": ["type": "object", "properties": ["a": ["type": "integer"]], "required": ["a"]]]]]
        let v = SchemaValidator(document: doc)
        #expect(!v.validate(["a": "x"], against: ["$ref": "#/components/schemas/T"]).isEmpty)
        #expect(!v.validate([String: Any](), against: ["$ref": "#/components/schemas/T"]).isEmpty)
        #expect(v.validate(["a": 1], against: ["$ref": "#/components/schemas/T"]).isEmpty)
    }
}

/// Validates JSON values against the subset of JSON Schema the document uses:
/// type (incl. arrays of types), properties, required, items, enum, $ref, oneOf, additionalProperties.
struct SchemaValidator {
    let document: [String: Any]

    func responseSchema(path: String, method: String, status: Int) -> [String: Any]? {
        guard let op = ((document["paths"] as? [String: Any])?[path] as? [String: Any])?[method] as? [String: Any],
            let responses = op["responses"] as? [String: Any]
        else { return nil }
        let entry = (responses[String(status)] ?? responses["\(status / 100)XX"]) as? [String: Any]
        guard let content = entry?["content"] as? [String: Any] else { return entry == nil ? nil : ["type": ["object", "array", "string", "null"]] }
        return (content.values.first as? [String: Any])?["schema"] as? [String: Any]
    }

    func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String else { return schema }
        let name = String(ref.split(separator: "/").last!)
        return resolve(((document["components"] as! [String: Any])["schemas"] as! [String: Any])[name] as! [String: Any])
    }

    func typeName(_ v: Any) -> String {
        switch v {
        case is NSNull: return "null"
        case _ where type(of: v) == Bool.self: return "boolean"
        case let n as NSNumber:
            if ["c", "B"].contains(String(cString: n.objCType)) { return "boolean" }
            return n.doubleValue == n.doubleValue.rounded() ? "integer" : "number"
        case is String: return "string"
        case is [Any]: return "array"
        case is [String: Any]: return "object"
        default: return "unknown"
        }
    }

    func validate(_ value: Any, against raw: [String: Any], at path: String = "$") -> [String] {
        let schema = resolve(raw)
        if let options = schema["oneOf"] as? [[String: Any]] {
            return options.contains { validate(value, against: $0, at: path).isEmpty } ? [] : ["\(path): matches no option"]
        }
        var errors: [String] = []
        let actual = typeName(value)
        if let t = schema["type"] {
            let allowed = (t as? [String]) ?? [t as! String]
            let ok = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
            if !ok { return ["\(path): \(actual) is not \(allowed)"] }
        }
        if let e = schema["enum"] as? [Any], let s = value as? String, !e.contains(where: { ($0 as? String) == s }) {
            errors.append("\(path): '\(s)' not in enum")
        }
        if let obj = value as? [String: Any] {
            for r in schema["required"] as? [String] ?? [] where obj[r] == nil { errors.append("\(path).\(r): required") }
            let props = schema["properties"] as? [String: Any] ?? [:]
            for (k, v) in obj {
                if let p = props[k] as? [String: Any] {
                    errors += validate(v, against: p, at: "\(path).\(k)")
                } else if let extra = schema["additionalProperties"] as? [String: Any] {
                    errors += validate(v, against: extra, at: "\(path).\(k)")
                }
            }
        }
        if let arr = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (i, v) in arr.enumerated() { errors += validate(v, against: items, at: "\(path)[\(i)]") }
        }
        return errors
    }
}
