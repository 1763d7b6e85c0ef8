import Foundation
import KotaeCore

/// The OpenAPI 3.1 description of the REST API, served at `/openapi.json`.
/// A test checks that it names every route the router has and that real responses
/// validate against these schemas.
enum OpenAPIDocument {
    typealias Object = [String: Any]

    static func ref(_ name: String) -> Object { ["$ref": "#/components/schemas/\(name)"] }
    static func nullable(_ type: String, format: String? = nil) -> Object {
        var o: Object = ["type": [type, "null"]]
        if let format { o["format"] = format }
        return o
    }
    static var string: Object { ["type": "string"] }
    static var integer: Object { ["type": "integer"] }
    static var boolean: Object { ["type": "boolean"] }
    static var number: Object { ["type": "number"] }
    static var dateTime: Object { ["type": "string", "format": "date-time"] }
    /// A name (user, team, inbox, label, token): not blank, at most `InputLimits.nameLength` characters.
    static var name: Object { ["type": "string", "minLength": 1, "maxLength": InputLimits.nameLength, "pattern": "\\S"] }
    static var password: Object { ["type": "string", "minLength": 8, "description": "8 characters to 72 bytes (bcrypt's limit)"] }
    static var email: Object { ["type": "string", "format": "email", "maxLength": 254] }
    /// An SLA target in seconds: more than 0, at most a year (`SLAPolicy.maxTarget`).
    static var target: Object { ["type": "number", "exclusiveMinimum": 0, "maximum": SLAPolicy.maxTarget] }
    static func array(_ items: Object) -> Object { ["type": "array", "items": items] }
    static func enumeration(_ values: [String]) -> Object { ["type": "string", "enum": values] }
    static func object(_ properties: [String: Object], required: [String]? = nil) -> Object {
        ["type": "object", "properties": properties, "required": required ?? Array(properties.keys).sorted()]
    }

    static var schemas: Object {
        [
            "Problem": object(
                [
                    "type": string, "title": string, "status": integer, "code": string, "detail": string,
                    "field": nullable("string"),
                ], required: ["type", "title", "status", "code", "detail"]),
            "User": object([
                "id": integer, "email": string, "name": string, "role": enumeration(UserRole.allCases.map(\.rawValue)),
                "locale": string, "timeZone": string, "disabled": boolean, "createdAt": dateTime,
            ]),
            "Session": object(["user": ref("User"), "csrfToken": string]),
            "Team": object(["id": integer, "name": string, "memberIds": array(integer)]),
            "BusinessHours": ["type": "object"],
            "SLAPolicy": object(
                [
                    "firstResponse": target, "nextResponse": target,
                    "resolution": ["type": ["number", "null"], "exclusiveMinimum": 0, "maximum": SLAPolicy.maxTarget],
                    "businessHours": ["oneOf": [ref("BusinessHours"), ["type": "null"]]],
                    "dueSoonFraction": ["type": "number", "minimum": 0, "exclusiveMaximum": 1],
                ],
                required: ["firstResponse", "nextResponse", "dueSoonFraction"]),
            "Inbox": object([
                "id": integer, "name": string, "channel": enumeration(ChannelKind.allCases.map(\.rawValue)),
                "settings": ["type": "object", "additionalProperties": string], "hasCredentials": boolean,
                "slaPolicy": ref("SLAPolicy"), "createdAt": dateTime,
            ]),
            "Identity": object(["channel": string, "externalId": string]),
            "Contact": object(
                [
                    "id": integer, "name": string, "email": nullable("string"), "phone": nullable("string"),
                    "identities": array(ref("Identity")), "mergedInto": nullable("integer"), "createdAt": dateTime,
                ],
                required: ["id", "name", "identities", "createdAt"]),
            "Attachment": object(["sha256": string, "filename": string, "contentType": string, "size": integer]),
            "AttachmentInput": object(["filename": string, "contentType": string, "dataBase64": string]),
            "Message": object(
                [
                    "id": integer, "conversationId": integer, "inboxId": integer,
                    "kind": enumeration(MessageKind.allCases.map(\.rawValue)), "authorUserId": nullable("integer"),
                    "text": string, "html": nullable("string"), "externalId": nullable("string"),
                    "deliveryState": enumeration(DeliveryState.allCases.map(\.rawValue)), "deliveryError": nullable("string"),
                    "attachments": array(ref("Attachment")), "privateReply": boolean,
                    "likedAt": nullable("string", format: "date-time"), "hiddenReason": nullable("string"),
                    "authorChange": nullable("string"), "authorChangedAt": nullable("string", format: "date-time"),
                    "editedText": nullable("string"),
                    "sentAt": nullable("string", format: "date-time"), "createdAt": dateTime,
                    "timeNote": nullable("string"), "replyToId": nullable("integer"),
                    "handledAt": nullable("string", format: "date-time"),
                    "details": object(
                        [
                            "postURL": nullable("string"),
                            "email": [
                                "type": ["object", "null"],
                                "properties": [
                                    "subject": string, "from": string, "to": array(string), "cc": array(string),
                                ],
                            ],
                            // A reply sent over the reply checker's warnings: what they were.
                            "replyWarnings": array(enumeration(ReplyIssue.Kind.allCases.map(\.rawValue))),
                        ],
                        required: []),
                ],
                required: ["id", "conversationId", "inboxId", "kind", "text", "deliveryState", "attachments", "privateReply", "createdAt"]),
            "Conversation": object(
                [
                    "id": integer, "inboxId": integer, "channel": enumeration(ChannelKind.allCases.map(\.rawValue)), "contactId": integer,
                    "contactName": string, "status": enumeration(ConversationStatus.allCases.map(\.rawValue)),
                    "priority": enumeration(Priority.allCases.map(\.rawValue)), "assigneeId": nullable("integer"), "teamId": nullable("integer"),
                    "labels": array(string), "isPublic": boolean, "needsReply": boolean, "waitingSince": nullable("string", format: "date-time"),
                    "slaState": enumeration(SLAState.allCases.map(\.rawValue)), "slaDueAt": nullable("string", format: "date-time"),
                    "firstResponseDue": nullable("string", format: "date-time"), "nextResponseDue": nullable("string", format: "date-time"),
                    "resolutionDue": nullable("string", format: "date-time"), "firstRespondedAt": nullable("string", format: "date-time"),
                    "firstResponseSeconds": nullable("number"), "resolvedAt": nullable("string", format: "date-time"),
                    "resolutionSeconds": nullable("number"), "snoozedUntil": nullable("string", format: "date-time"),
                    "noReplyReason": ["type": ["string", "null"], "enum": NoReplyReason.allCases.map(\.rawValue) + [NSNull()]],
                    "replySendingSince": nullable("string", format: "date-time"), "replyFailedAt": nullable("string", format: "date-time"),
                    "lastMessageAt": dateTime, "snippet": string, "createdAt": dateTime, "updatedAt": dateTime,
                    "intent": ["type": ["string", "null"], "enum": TriageIntent.allCases.map(\.rawValue) + [NSNull()]], "urgent": boolean,
                ],
                required: [
                    "id", "inboxId", "channel", "contactId", "contactName", "status", "priority", "labels", "isPublic",
                    "needsReply", "slaState", "lastMessageAt", "snippet", "createdAt", "updatedAt", "urgent",
                ]),
            "ConversationList": object(["conversations": array(ref("Conversation")), "nextCursor": nullable("string")], required: ["conversations"]),
            "AuditEvent": object(
                [
                    "id": integer, "at": dateTime, "actorUserId": nullable("integer"), "conversationId": nullable("integer"),
                    "type": string, "data": string,
                ], required: ["id", "at", "type", "data"]),
            "ConversationDetail": object([
                "conversation": ref("Conversation"), "contact": ref("Contact"),
                "messages": array(ref("Message")), "events": array(ref("AuditEvent")),
            ]),
            "MessageAndConversation": object(["message": ref("Message"), "conversation": ref("Conversation")]),
            "ContactList": object(["contacts": array(ref("Contact")), "nextCursor": nullable("string")], required: ["contacts"]),
            "ContactDetail": object(["contact": ref("Contact"), "conversations": array(ref("Conversation")), "merges": array(ref("ContactMerge"))]),
            "ContactMerge": object(
                [
                    "id": integer, "sourceId": integer, "targetId": integer,
                    "identities": array(object(["channel": string, "externalId": string])), "conversationIds": array(integer),
                    "reason": nullable("string"), "actorUserId": nullable("integer"), "at": dateTime,
                    "undoneAt": nullable("string", format: "date-time"),
                ],
                required: ["id", "sourceId", "targetId", "identities", "conversationIds", "at"]),
            "Unmerged": object(["source": ref("Contact"), "target": ref("Contact")]),
            "CannedResponse": object(["id": integer, "shortcut": string, "title": string, "body": string]),
            "Rendered": object(["text": string, "unfilled": array(string)]),
            "IngestResult": object(["messageId": integer, "conversationId": integer, "duplicate": boolean]),
            "MailIntakeResult": object(
                [
                    "messageId": ["type": ["integer", "null"]], "conversationId": ["type": ["integer", "null"]], "duplicate": boolean,
                    "thread": ["type": ["string", "null"]], "dropped": ["type": ["string", "null"]],
                ], required: ["duplicate"]),
            "DeviceSignIn": object(
                [
                    "state": ["type": "string", "enum": ["pending", "signedIn", "failed"]], "userCode": nullable("string"),
                    "verificationURI": nullable("string"), "message": nullable("string"), "expiresAt": nullable("string", format: "date-time"),
                    "reason": nullable("string"),
                ], required: ["state"]),
            "Unanswered": object(["total": integer, "byChannel": ["type": "object", "additionalProperties": integer]]),
            "MessageHit": object(["messageId": integer, "conversationId": integer, "kind": string, "text": string, "createdAt": dateTime]),
            "SearchResult": object(["messages": array(ref("MessageHit")), "contacts": array(ref("Contact"))]),
            "Health": object(["status": string, "database": string, "storage": string], required: ["status", "database"]),
            "APIToken": object(
                [
                    "id": integer, "userId": integer, "name": string, "createdAt": dateTime,
                    "lastUsedAt": nullable("string", format: "date-time"), "expiresAt": nullable("string", format: "date-time"),
                    "revokedAt": nullable("string", format: "date-time"),
                ],
                required: ["id", "userId", "name", "createdAt"]),
            "Token": object(["token": string, "info": ref("APIToken")]),
            "TokenList": object(["tokens": array(ref("APIToken"))]),
            "UserList": object(["users": array(ref("User"))]),
            "TeamList": object(["teams": array(ref("Team"))]),
            "InboxList": object(["inboxes": array(ref("Inbox"))]),
            "CommerceStore": object(
                [
                    "id": integer, "platform": enumeration(CommercePlatform.allCases.map(\.rawValue)), "name": string,
                    "settings": ["type": "object", "additionalProperties": string], "hasCredentials": boolean,
                    "problem": nullable("string"), "createdAt": dateTime,
                ], required: ["id", "platform", "name", "settings", "hasCredentials", "createdAt"]),
            "CommerceStoreList": object(["stores": array(ref("CommerceStore"))]),
            "OrderAction": object(
                [
                    "id": integer, "key": string, "conversationId": integer, "order": object(["store": integer, "id": string]),
                    "orderNumber": string, "kind": enumeration(OrderActionKind.allCases.map(\.rawValue)),
                    "state": enumeration(OrderAction.State.allCases.map(\.rawValue)), "amount": ["oneOf": [ref("Money"), ["type": "null"]]],
                    "lines": array(object(["lineId": string, "quantity": integer])), "percent": nullable("integer"), "reason": string,
                    "checklist": array(string), "result": nullable("string"), "error": nullable("string"),
                    "watch": ["oneOf": [object(["store": integer, "id": string]), ["type": "null"]]], "via": nullable("integer"),
                    "requestedBy": nullable("integer"), "decidedBy": nullable("integer"), "createdAt": dateTime, "updatedAt": dateTime,
                ],
                required: [
                    "id", "key", "conversationId", "order", "orderNumber", "kind", "state", "lines", "reason", "checklist", "createdAt", "updatedAt",
                ]),
            "OrderActionList": object(["actions": array(ref("OrderAction"))]),
            "GiftCardCode": object(["code": string]),
            "CSAT": object(
                [
                    "days": integer, "sent": integer, "answered": integer, "responseRate": nullable("number"), "score": nullable("number"),
                    "distribution": array(integer), "byAgent": array(object(["userId": integer, "answered": integer, "score": number])),
                ], required: ["days", "sent", "answered", "distribution", "byAgent"]),
            "Report": object(
                [
                    "from": string, "to": string, "previousFrom": string, "previousTo": string, "grouping": string, "businessHours": boolean,
                    "timeZone": string, "source": string, "trafficFiltered": boolean, "tablesOmitted": boolean,
                    "summary": array(
                        object(
                            ["key": string, "unit": string, "current": nullable("number"), "previous": nullable("number")],
                            required: ["key", "unit"])),
                    "series": array(object(["start": string, "firstResponses": integer, "resolutions": integer])),
                    "survey": array(number),
                    "coverage": array(
                        object(["channel": string, "firstResponses": integer, "within": array(number), "met": number, "histogram": array(integer)])),
                    "backlog": array(object(["end": string, "unresolved": integer, "unanswered": integer])),
                    "heatmap": array(array(integer)),
                    "agents": array(object(["id": integer, "name": string, "firstResponses": integer, "resolutions": integer])),
                    "labels": array(object(["id": integer, "name": string, "firstResponses": integer, "resolutions": integer])),
                    "csat": object(["distribution": array(integer), "sent": integer, "answered": integer]),
                ],
                required: [
                    "from", "to", "grouping", "businessHours", "timeZone", "source", "summary", "series", "coverage", "backlog", "heatmap", "agents",
                    "labels", "csat",
                ]),
            "RefundSuggestion": object([
                "suggestion": object(["amount": ref("Money"), "maximum": ref("Money")]), "needsApproval": boolean, "limit": string,
            ]),
            "Money": object(["amount": string, "currency": string]),
            "HelpCategory": object(
                [
                    "id": integer, "locale": enumeration(HelpLocale.allCases.map(\.rawValue)), "translationKey": string, "name": string,
                    "description": string, "position": integer, "createdAt": dateTime,
                ], required: ["id", "locale", "translationKey", "name", "description", "position", "createdAt"]),
            "HelpCategoryList": object(["categories": array(ref("HelpCategory"))]),
            "HelpArticle": object(
                [
                    "id": integer, "locale": enumeration(HelpLocale.allCases.map(\.rawValue)), "translationKey": string,
                    "categoryId": nullable("integer"), "title": string, "body": string, "alternatives": array(string), "synonyms": array(string),
                    "status": enumeration(HelpArticle.Status.allCases.map(\.rawValue)), "position": integer, "views": integer,
                    "helpful": integer, "notHelpful": integer, "createdAt": dateTime, "updatedAt": dateTime, "publishedAt": nullable("string"),
                ],
                required: [
                    "id", "locale", "translationKey", "title", "body", "alternatives", "synonyms", "status", "position", "views", "helpful",
                    "notHelpful", "createdAt", "updatedAt",
                ]),
            "HelpArticleList": object(["articles": array(ref("HelpArticle"))]),
            "HelpArticleDetail": object(
                [
                    "article": ref("HelpArticle"), "html": string, "translations": array(ref("HelpArticle")),
                    "votes": array(object(["helpful": boolean, "comment": nullable("string"), "createdAt": dateTime])),
                ], required: ["article", "html", "translations", "votes"]),
            "WorkspaceSettings": object(
                [
                    "followUpDays": number, "followUpText": string, "surveysEnabled": boolean, "surveyDelayMinutes": number, "surveyText": string,
                    "agentLimitYen": number, "reportTimeZone": string, "forbiddenWords": array(string), "slaWarningMinutes": array(number),
                    "slaWebhookURL": string, "slaEmailInboxId": integer, "autoAssignInboxIds": array(integer), "assignOfflineMinutes": number,
                    "approvalUserIds": array(integer), "approvalInboxIds": array(integer),
                ],
                required: [
                    "followUpDays", "followUpText", "surveysEnabled", "surveyDelayMinutes", "surveyText", "agentLimitYen", "reportTimeZone",
                    "forbiddenWords", "slaWarningMinutes", "slaWebhookURL", "slaEmailInboxId", "autoAssignInboxIds", "assignOfflineMinutes",
                    "approvalUserIds",
                    "approvalInboxIds",
                ]),
            "AssignmentAgent": object(
                [
                    "userId": integer, "name": string, "capacity": nullable("integer"), "seenAt": nullable("string", format: "date-time"),
                    "online": boolean, "open": integer,
                ], required: ["userId", "name", "online", "open"]),
            "AssignmentAgentList": object(["agents": array(ref("AssignmentAgent"))], required: ["agents"]),
            "RuleConditions": object(
                [
                    "channels": array(enumeration(ChannelKind.allCases.map(\.rawValue))), "inboxIds": array(integer), "textContains": array(string),
                    "language": enumeration(["ja", "en"]), "intents": array(enumeration(TriageIntent.allCases.map(\.rawValue))),
                    "sentiments": array(enumeration(TriageSentiment.allCases.map(\.rawValue))), "urgent": boolean, "labels": array(string),
                    "contactEmailDomains": array(string), "statuses": array(enumeration(ConversationStatus.allCases.map(\.rawValue))),
                    "duringBusinessHours": boolean, "ratings": array(["type": "integer", "minimum": 1, "maximum": 5]),
                    "orderStates": array(enumeration(RuleOrderState.allCases.map(\.rawValue))),
                ], required: []),
            "RuleActions": object(
                [
                    "assignTo": integer, "team": integer, "addLabels": array(string), "priority": enumeration(Priority.allCases.map(\.rawValue)),
                    "note": string, "cannedResponseId": integer, "snoozeMinutes": number, "resolve": boolean, "webhookURL": string,
                    "emailTo": array(string), "emailInboxId": integer,
                ], required: []),
            "AutomationRule": object(
                [
                    "id": integer, "name": string, "enabled": boolean, "trigger": enumeration(AutomationTrigger.allCases.map(\.rawValue)),
                    "afterMinutes": nullable("number"), "conditions": ref("RuleConditions"), "actions": ref("RuleActions"), "createdAt": dateTime,
                    "updatedAt": dateTime,
                ], required: ["id", "name", "enabled", "trigger", "conditions", "actions", "createdAt", "updatedAt"]),
            "AutomationRuleList": object(["rules": array(ref("AutomationRule"))], required: ["rules"]),
            "AutomationDryRun": object(
                [
                    "checked": integer,
                    "matches": array(
                        object(
                            ["conversationId": integer, "contactName": string, "snippet": string, "lastMessageAt": dateTime],
                            required: ["conversationId", "contactName", "snippet", "lastMessageAt"])),
                ], required: ["checked", "matches"]),
            "ReplyCheck": object(
                [
                    "issues": array(
                        object(
                            [
                                "kind": enumeration(ReplyIssue.Kind.allCases.map(\.rawValue)), "evidence": string, "blocks": boolean,
                                "message": string,
                            ], required: ["kind", "evidence", "blocks", "message"]))
                ], required: ["issues"]),
            "HelpCenterSettings": object(
                [
                    "shopName": string, "logoURL": nullable("string"), "color": string, "supportEmail": nullable("string"),
                    "phone": nullable("string"), "returnPolicyURL": nullable("string"), "contactInboxId": nullable("integer"),
                ], required: ["shopName", "color"]),
            "Order": object(
                [
                    "key": object(["store": integer, "id": string]), "number": string, "email": nullable("string"),
                    "phone": nullable("string"), "customerName": nullable("string"), "createdAt": dateTime, "updatedAt": dateTime,
                    "cancelledAt": nullable("string", format: "date-time"),
                    "payment": enumeration(PaymentState.allCases.map(\.rawValue)),
                    "fulfilment": enumeration(FulfilmentState.allCases.map(\.rawValue)),
                    "total": ["oneOf": [ref("Money"), ["type": "null"]]],
                    "lines": array(["type": "object"]), "shipments": array(["type": "object"]), "tags": array(string),
                    "statusURL": nullable("string"), "adminURL": nullable("string"), "platformStatus": nullable("string"),
                ], required: ["key", "number", "createdAt", "updatedAt", "payment", "fulfilment", "lines", "shipments", "tags"]),
            "OrdersPanel": object([
                "orders": array(
                    object([
                        "order": ref("Order"), "storeName": string, "seenAt": dateTime,
                        "reasons": array(enumeration(["linked", "numberInMessage", "email", "phone", "name"])),
                    ])),
                "unresolvedNumbers": array(string), "customersMatched": integer, "suggestions": array(["type": "object"]),
                "stores": array(
                    object(
                        [
                            "id": integer, "name": string, "platform": enumeration(CommercePlatform.allCases.map(\.rawValue)),
                            "reachable": nullable("boolean"), "problem": nullable("string"), "visibleDays": nullable("integer"),
                            "pending": nullable("boolean"), "licenceExpires": nullable("string", format: "date-time"),
                        ], required: ["id", "name", "platform"])),
            ]),
            "CannedList": object(["cannedResponses": array(ref("CannedResponse"))]),
            "Label": object(["id": integer, "name": string, "color": string, "description": string]),
            "LabelList": object(["labels": array(ref("Label"))]),
            "Notification": object(
                [
                    "id": integer, "userId": integer, "kind": enumeration(AgentNotification.Kind.allCases.map(\.rawValue)), "conversationId": integer,
                    "messageId": nullable("integer"), "actorUserId": nullable("integer"), "createdAt": dateTime,
                    "readAt": nullable("string", format: "date-time"),
                ],
                required: ["id", "userId", "kind", "conversationId", "createdAt"]),
            "NotificationList": object([
                "notifications": array(object(["notification": ref("Notification"), "contactName": string, "snippet": string])),
                "unread": integer,
            ]),
        ]
    }

    /// One operation: method, path (OpenAPI form), summary, request schema, success status and schema.
    struct Op {
        let method: String
        let path: String
        let summary: String
        var body: Object? = nil
        var status: Int = 200
        var response: String? = nil
        var query: [String] = []
        var auth = true
        /// The body's media types (a raw mail is not JSON).
        var bodyTypes = ["application/json"]
        /// Other success statuses the operation answers with.
        var alsoStatus: [Int] = []
    }

    /// A rule as written (`POST`, `PATCH`, dry run).
    static var ruleInput: Object {
        object(
            [
                "name": string, "enabled": boolean, "trigger": enumeration(AutomationTrigger.allCases.map(\.rawValue)), "afterMinutes": number,
                "conditions": ref("RuleConditions"), "actions": ref("RuleActions"),
            ], required: ["name", "trigger", "actions"])
    }

    static var ops: [Op] {
        [
            Op(method: "get", path: "/health", summary: "Liveness and database check", response: "Health", auth: false),
            Op(method: "get", path: "/metrics", summary: "Prometheus metrics (text)", auth: false),
            Op(method: "get", path: "/openapi.json", summary: "This document", auth: false),
            Op(method: "get", path: "/favicon.ico", summary: "The site icon (SVG)", auth: false),
            Op(method: "get", path: "/setup", summary: "First-run page: form to create the first admin (HTML)", query: ["token"], auth: false),
            Op(method: "post", path: "/setup", summary: "First-run form submission (form-encoded; HTML answer)", auth: false),
            Op(method: "get", path: "/login", summary: "Agent UI: sign-in page (HTML)", auth: false),
            Op(
                method: "get", path: "/", summary: "Agent UI: the inbox (HTML; without a session, a redirect to /login)",
                query: ["view", "channel", "label", "q"]),
            Op(method: "get", path: "/conversations/{id}", summary: "Agent UI: one conversation (HTML)"),
            Op(
                method: "get", path: "/search", summary: "Agent UI: search over messages and contacts, with filters (HTML)",
                query: ["q", "in", "kind", "channel", "status", "since", "until"]),
            Op(method: "get", path: "/notifications", summary: "Agent UI: my notifications (HTML)"),
            Op(method: "get", path: "/account", summary: "Agent UI: my name, language, time zone, password, notification preferences (HTML)"),
            Op(method: "get", path: "/settings", summary: "Agent UI: settings (redirects to the users page; admins only)"),
            Op(method: "get", path: "/settings/users", summary: "Agent UI: users and roles (HTML; admins only)"),
            Op(method: "get", path: "/settings/teams", summary: "Agent UI: teams (HTML; admins only)"),
            Op(method: "get", path: "/settings/inboxes", summary: "Agent UI: inboxes (HTML; admins only)"),
            Op(
                method: "get", path: "/settings/inboxes/{id}",
                summary: "Agent UI: one inbox's connection, SLA policy and business hours (HTML; admins only)"),
            Op(method: "get", path: "/settings/canned", summary: "Agent UI: canned responses (HTML; admins only)"),
            Op(method: "get", path: "/settings/labels", summary: "Agent UI: labels (HTML; admins only)"),
            Op(
                method: "get", path: "/settings/help",
                summary: "Agent UI: the help center's presentation, categories and articles with their views and votes (HTML; admins only)"),
            Op(
                method: "get", path: "/conversations/{id}/messages/{mid}/html",
                summary: "Agent UI: a customer's HTML e-mail, sanitized, for a sandboxed frame (HTML)", query: ["images"]),
            Op(
                method: "post", path: "/api/v1/auth/login", summary: "Sign in; sets the session cookie",
                body: object(["email": string, "password": string]), response: "Session", auth: false),
            Op(method: "post", path: "/api/v1/auth/logout", summary: "Sign out", status: 204),
            Op(
                method: "post", path: "/api/v1/auth/setup", summary: "Create the first admin with the one-time set-up token",
                body: object(["token": string, "email": email, "name": name, "password": password]), response: "Session", auth: false),
            Op(method: "get", path: "/api/v1/auth/me", summary: "The signed-in user", response: "Session"),
            Op(
                method: "post", path: "/api/v1/auth/password", summary: "Change my password",
                body: object(["currentPassword": string, "newPassword": password]), status: 204),
            Op(
                method: "get", path: "/api/v1/auth/tokens", summary: "My API tokens (never the tokens themselves), revoked ones included",
                response: "TokenList"),
            Op(
                method: "post", path: "/api/v1/auth/tokens", summary: "Issue an API token (shown once), optionally expiring after some days",
                body: object(
                    ["name": name, "expiresInDays": ["type": "integer", "minimum": 1, "maximum": AuthController.maxTokenDays]], required: ["name"]),
                status: 201, response: "Token"),
            Op(method: "delete", path: "/api/v1/auth/tokens/{id}", summary: "Revoke one of my API tokens (an admin: anyone's)", status: 204),
            Op(
                method: "get", path: "/api/v1/conversations", summary: "The inbox: filtered, SLA-sorted, cursor-paginated",
                response: "ConversationList",
                query: [
                    "status", "inbox", "channel", "assignee", "team", "label", "sla", "unanswered", "failed", "priority", "intent", "urgent",
                    "public", "q", "sort", "limit", "cursor",
                ]),
            Op(
                method: "get", path: "/api/v1/conversations/{id}", summary: "A conversation with its messages and audit events",
                response: "ConversationDetail"),
            Op(
                method: "post", path: "/api/v1/conversations/{id}/reply",
                summary:
                    "Reply to the customer (queued for delivery); `private` answers a public comment privately; `cc` copies more people on an email reply",
                body: object(
                    [
                        "text": string, "attachments": array(ref("AttachmentInput")), "private": boolean, "replyTo": integer,
                        "cc": ["type": "array", "items": ["type": "string", "format": "email"], "maxItems": 20],
                    ], required: ["text"]),
                status: 201, response: "MessageAndConversation"),
            Op(
                method: "post", path: "/api/v1/messages/{id}/approve",
                summary: "Approve a reply held for approval (admin): sent as written, or as `text` when the supervisor changed it",
                body: object(["text": string], required: []), response: "MessageAndConversation"),
            Op(
                method: "post", path: "/api/v1/messages/{id}/return",
                summary: "Send a held reply back to its author with a comment (差戻し, admin); it is never sent",
                body: object(["comment": string], required: ["comment"]), response: "Message"),
            Op(
                method: "post", path: "/api/v1/conversations/{id}/reply-check",
                summary:
                    "What the reply checker says of a draft before it is sent (vague promises, no apology to a complaint, the wrong name, a day the order data does not give, a missing attachment, length, forbidden words), each explained in the agent's language; only a forbidden word blocks the reply",
                body: object(["text": string, "attachments": ["type": "integer", "minimum": 0]], required: ["text"]),
                response: "ReplyCheck"),
            Op(
                method: "post", path: "/api/v1/conversations/{id}/notes", summary: "Private note; each user in `mentions` is notified",
                body: object(["text": string, "attachments": array(ref("AttachmentInput")), "mentions": array(integer)], required: ["text"]),
                status: 201, response: "Message"),
            Op(
                method: "post", path: "/api/v1/conversations/{id}/assign",
                summary: "Assign to an agent and/or team (each changes only when given; null clears)",
                body: object(["assigneeId": nullable("integer"), "teamId": nullable("integer")], required: []), response: "Conversation"),
            Op(
                method: "post", path: "/api/v1/conversations/{id}/status",
                summary: "Open, pending or resolve; closing a waiting customer needs a reason",
                body: object(
                    [
                        "status": enumeration(ConversationStatus.allCases.map(\.rawValue)),
                        "reason": enumeration(NoReplyReason.allCases.map(\.rawValue)),
                    ],
                    required: ["status"]), response: "Conversation"),
            Op(
                method: "post", path: "/api/v1/conversations/{id}/priority", summary: "Set the priority",
                body: object(["priority": enumeration(Priority.allCases.map(\.rawValue))]), response: "Conversation"),
            Op(
                method: "post", path: "/api/v1/conversations/{id}/labels", summary: "Add and remove labels",
                body: object(["add": array(string), "remove": array(string)], required: []), response: "Conversation"),
            Op(
                method: "post", path: "/api/v1/conversations/{id}/snooze", summary: "Snooze until a time", body: object(["until": dateTime]),
                response: "Conversation"),
            Op(method: "post", path: "/api/v1/messages/{id}/retry", summary: "Retry a failed delivery", status: 202),
            Op(
                method: "post", path: "/api/v1/messages/{id}/like",
                summary: "Like a Facebook or Instagram comment as the page (429 with Retry-After while Meta throttles the page)", status: 204),
            Op(
                method: "post", path: "/api/v1/messages/{id}/hide",
                summary:
                    "Hide a Facebook or Instagram comment: spam only (reason \"spam\"), audited, never deleted (429 with Retry-After while Meta throttles the page)",
                body: object(["reason": enumeration(["spam"])]), status: 204),
            Op(
                method: "get", path: "/api/v1/contacts", summary: "List and search contacts", response: "ContactList",
                query: ["q", "limit", "cursor"]),
            Op(method: "get", path: "/api/v1/contacts/{id}", summary: "A contact with their conversations", response: "ContactDetail"),
            Op(
                method: "patch", path: "/api/v1/contacts/{id}", summary: "Edit a contact",
                body: object(["name": string, "email": string, "phone": string], required: []), response: "Contact"),
            Op(
                method: "post", path: "/api/v1/contacts/{id}/merge", summary: "Merge another contact into this one",
                body: object(["sourceId": integer]), response: "Contact"),
            Op(
                method: "post", path: "/api/v1/contact-merges/{id}/undo", summary: "Undo a merge of two contacts (an agent's or Kotae's own)",
                response: "Unmerged"),
            Op(method: "get", path: "/api/v1/users", summary: "Users", response: "UserList"),
            Op(
                method: "post", path: "/api/v1/users", summary: "Create a user (admin)",
                body: object(["email": email, "name": name, "role": enumeration(UserRole.allCases.map(\.rawValue)), "password": password]),
                status: 201, response: "User"),
            Op(
                method: "patch", path: "/api/v1/users/{id}", summary: "Edit a user (admin, or yourself for name, language and time zone)",
                body: object(
                    [
                        "name": name, "role": enumeration(UserRole.allCases.map(\.rawValue)), "disabled": boolean,
                        "locale": enumeration(["ja", "en"]), "timeZone": string,
                    ], required: []), response: "User"),
            Op(
                method: "get", path: "/api/v1/automation/rules", summary: "Automation rules, in the order they run (admin)",
                response: "AutomationRuleList"),
            Op(
                method: "post", path: "/api/v1/automation/rules",
                summary: "Create an automation rule: a trigger, conditions that must all hold, and actions done in the rule's name (admin)",
                body: Self.ruleInput, status: 201, response: "AutomationRule"),
            Op(
                method: "post", path: "/api/v1/automation/rules/dry-run",
                summary: "Which conversations of the last 7 days a rule would act on, as they are now; nothing is done (admin)", body: Self.ruleInput,
                response: "AutomationDryRun"),
            Op(
                method: "patch", path: "/api/v1/automation/rules/{id}", summary: "Replace a rule (admin)", body: Self.ruleInput,
                response: "AutomationRule"),
            Op(method: "delete", path: "/api/v1/automation/rules/{id}", summary: "Delete a rule (admin)", status: 204),
            Op(
                method: "get", path: "/api/v1/assignment/agents",
                summary: "Each agent as automatic assignment sees them: capacity, online now, open conversations (admin)",
                response: "AssignmentAgentList"),
            Op(
                method: "put", path: "/api/v1/assignment/agents/{id}",
                summary: "An agent's capacity: the most open conversations automatic assignment gives them; null for no limit (admin)",
                body: object(["capacity": nullable("integer")], required: ["capacity"]), response: "AssignmentAgent"),
            Op(method: "get", path: "/api/v1/teams", summary: "Teams", response: "TeamList"),
            Op(
                method: "post", path: "/api/v1/teams", summary: "Create a team (admin)",
                body: object(["name": name, "memberIds": array(integer)], required: ["name"]),
                status: 201, response: "Team"),
            Op(
                method: "patch", path: "/api/v1/teams/{id}", summary: "Rename a team and/or replace its members (admin)",
                body: object(["name": name, "memberIds": array(integer)], required: []), response: "Team"),
            Op(method: "get", path: "/api/v1/labels", summary: "The label catalog", response: "LabelList"),
            Op(
                method: "post", path: "/api/v1/labels", summary: "Create a label (admin)",
                body: object(["name": string, "color": string, "description": string], required: ["name"]), status: 201, response: "Label"),
            Op(
                method: "patch", path: "/api/v1/labels/{id}", summary: "Edit a label (admin); a new name follows it onto every conversation",
                body: object(["name": string, "color": string, "description": string], required: []), response: "Label"),
            Op(
                method: "delete", path: "/api/v1/labels/{id}", summary: "Delete a label from the catalog and from every conversation (admin)",
                status: 204),
            Op(
                method: "get", path: "/api/v1/notifications", summary: "My notifications, newest first, and how many are unread",
                response: "NotificationList"),
            Op(
                method: "post", path: "/api/v1/notifications/read", summary: "Mark my notifications read: one conversation's, or all",
                body: object(["conversationId": integer], required: []), status: 204),
            Op(method: "get", path: "/api/v1/inboxes", summary: "Inboxes", response: "InboxList"),
            Op(
                method: "post", path: "/api/v1/inboxes", summary: "Create an inbox (admin); credentials are encrypted at rest",
                body: object(
                    [
                        "name": name, "channel": enumeration(ChannelKind.allCases.map(\.rawValue)), "settings": ["type": "object"],
                        "credentials": ["type": "object"], "slaPolicy": ref("SLAPolicy"),
                    ],
                    required: ["name", "channel"]), status: 201, response: "Inbox"),
            Op(
                method: "patch", path: "/api/v1/inboxes/{id}",
                summary: "Edit an inbox (admin); settings and credentials merge key by key, \"\" removes a key",
                body: object(
                    ["name": name, "settings": ["type": "object"], "credentials": ["type": "object"], "slaPolicy": ref("SLAPolicy")], required: []),
                response: "Inbox"),
            Op(
                method: "post", path: "/api/v1/inboxes/{id}/messages",
                summary:
                    "API channel: ingest a normalized inbound message into an API inbox (idempotent on externalId; 409 for an inbox of another channel). Contacts are API ids, email addresses or phone numbers, never a platform's ids; sentAt lies between 2000 and a day from now",
                body: object(
                    [
                        "contact": object(
                            [
                                "channel": enumeration(APIChannelController.identityKinds.sorted()),
                                "externalId": ["type": "string", "minLength": 1, "maxLength": 255, "pattern": "\\S"],
                                "name": string, "email": email, "phone": string,
                            ], required: ["channel", "externalId"]),
                        "externalId": ["type": "string", "minLength": 1, "maxLength": 255], "threadKey": string, "text": string, "html": string,
                        "attachments": array(ref("AttachmentInput")),
                        "isPublic": boolean, "needsReply": boolean, "sentAt": dateTime,
                    ], required: ["contact", "externalId"]),
                response: "IngestResult"),
            Op(
                method: "post", path: "/api/v1/inboxes/{id}/mime",
                summary:
                    "Email: take in one raw RFC 5322 message (what mail providers' inbound webhooks send) into an email inbox: 201 stored (with how its thread was found), 200 already stored (by Message-ID or content), 202 not taken in with the reason (mail from the inbox's own address); 409 for an inbox of another channel",
                body: ["type": "string", "format": "binary"], status: 201, response: "MailIntakeResult",
                bodyTypes: ["message/rfc822", "application/octet-stream"], alsoStatus: [200, 202]),
            Op(
                method: "post", path: "/api/v1/inboxes/{id}/oauth/device",
                summary:
                    "Email, OAuth 2.0 (admin): start a device-code sign-in (RFC 8628) with the inbox's mail provider; answers the code to enter and where. Kotae then waits for the sign-in and stores the refresh token; 409 for a password inbox, 422 with the provider's words when it refuses",
                status: 201, response: "DeviceSignIn"),
            Op(
                method: "get", path: "/api/v1/inboxes/{id}/oauth/device",
                summary: "Email, OAuth 2.0 (admin): where the device-code sign-in stands (pending, signedIn, or failed with the reason)",
                response: "DeviceSignIn"),
            Op(method: "get", path: "/api/v1/attachments/{sha256}", summary: "Download an attachment"),
            Op(method: "get", path: "/api/v1/canned-responses", summary: "Canned responses", response: "CannedList"),
            Op(
                method: "post", path: "/api/v1/canned-responses", summary: "Create a canned response (admin)",
                body: object(["shortcut": string, "title": string, "body": string]), status: 201, response: "CannedResponse"),
            Op(
                method: "patch", path: "/api/v1/canned-responses/{id}", summary: "Edit a canned response (admin)",
                body: object(["shortcut": string, "title": string, "body": string], required: []), response: "CannedResponse"),
            Op(method: "delete", path: "/api/v1/canned-responses/{id}", summary: "Delete a canned response (admin)", status: 204),
            Op(
                method: "post", path: "/api/v1/canned-responses/{id}/render", summary: "Fill a canned response for a conversation",
                body: object(["conversationId": integer]), response: "Rendered"),
            Op(method: "get", path: "/api/v1/stats/unanswered", summary: "Conversations waiting for an answer, per channel", response: "Unanswered"),
            Op(
                method: "get", path: "/api/v1/stats/csat",
                summary:
                    "Satisfaction over the last days (28 unless said): surveys sent and answered, ratings 1–5, CSAT (the share of 4s and 5s), per agent who resolved",
                response: "CSAT", query: ["days"]),
            Op(
                method: "get", path: "/api/v1/reports",
                summary:
                    "A report (admins): medians and 90th percentiles (nearest rank, in seconds to the precision the page shows: the second below 10 min, the minute below a day, the hour below 60 days, the day beyond), expectation coverage per channel, SLA, backlog, weekday × hour, per agent and label, CSAT; with the previous period",
                response: "Report", query: ["preset", "from", "to", "by", "businessHours", "channel", "inbox", "agent", "team", "label"]),
            Op(
                method: "get", path: "/api/v1/reports/{table}",
                summary:
                    "One table of a report as CSV (UTF-8 with BOM): summary.csv, series.csv, coverage.csv, backlog.csv, heatmap.csv, agents.csv, labels.csv, csat.csv",
                query: ["preset", "from", "to", "by", "businessHours", "channel", "inbox", "agent", "team", "label"]),
            Op(
                method: "get", path: "/reports", summary: "Agent UI: reports with charts and tables (HTML, admins)",
                query: ["preset", "from", "to", "by", "businessHours", "channel", "inbox", "agent", "team", "label"]),
            Op(
                method: "get", path: "/survey/{token}",
                summary: "The customer's satisfaction survey (HTML, ja/en): 1 to 5 and a comment; one answer; not for someone signed in", auth: false),
            Op(method: "post", path: "/survey/{token}", summary: "The survey's answer (form-encoded rating, comment; HTML answer)", auth: false),
            Op(method: "get", path: "/api/v1/search", summary: "Full-text search over messages and contacts", response: "SearchResult", query: ["q"]),
            Op(method: "get", path: "/help", summary: "Help center: to /help/ja or /help/en by the browser's language", auth: false),
            Op(method: "get", path: "/help/sitemap.xml", summary: "Help center: every published article, category page and home (XML)", auth: false),
            Op(method: "get", path: "/help/theme.css", summary: "Help center: the shop's colour (CSS)", auth: false),
            Op(method: "get", path: "/help/{locale}", summary: "Help center home: categories and their articles (HTML, ja or en)", auth: false),
            Op(
                method: "get", path: "/help/{locale}/search", summary: "Help center search, Japanese without spaces included (HTML)",
                query: ["q"], auth: false),
            Op(
                method: "get", path: "/help/{locale}/categories/{id}",
                summary: "A category's FAQ page: every question and answer, with FAQPage JSON-LD (HTML)", auth: false),
            Op(
                method: "get", path: "/help/{locale}/articles/{id}", summary: "A published article, related articles and its vote form (HTML)",
                query: ["voted"], auth: false),
            Op(
                method: "post", path: "/help/{locale}/articles/{id}/vote",
                summary: "\"Was this helpful?\" (form-encoded helpful=yes|no, comment); 303 back to the article", auth: false,
                bodyTypes: ["application/x-www-form-urlencoded"], alsoStatus: [303]),
            Op(
                method: "get", path: "/help/{locale}/contact",
                summary:
                    "Contact page: each channel with its measured reply time (90th percentile of first responses over 28 days), business hours and the next opening, the support address, the return policy, the contact form (HTML)",
                query: ["sent"], auth: false),
            Op(
                method: "post", path: "/help/{locale}/contact",
                summary:
                    "The contact form (form-encoded name, email, message, stamp): an email conversation with the sender's address; 303 on success, 422 with what to fix, 429 when one sender or address sends too many",
                auth: false, bodyTypes: ["application/x-www-form-urlencoded"], alsoStatus: [303]),
            Op(
                method: "get", path: "/chat/help",
                summary:
                    "The chat widget's help search (CORS for the inbox's sites): up to five published articles with title, path and the start of the answer",
                query: ["inbox", "q", "locale"], auth: false),
            Op(
                method: "post", path: "/chat/files",
                summary:
                    "A picture from a widget visitor (PNG, JPEG, GIF or WebP, 10 MB at most; the welcome's upload token in X-Kotae-Upload): a file token only that visitor can send",
                query: ["inbox"], auth: false, bodyTypes: ["image/png", "image/jpeg", "image/gif", "image/webp"]),
            Op(method: "options", path: "/chat/files", summary: "CORS preflight for the picture upload", status: 204, query: ["inbox"], auth: false),
            Op(
                method: "get", path: "/api/v1/settings/workspace",
                summary: "The follow-up after a fix, the satisfaction survey and the agents' limit (admin)", response: "WorkspaceSettings"),
            Op(
                method: "patch", path: "/api/v1/settings/workspace",
                summary: "Change any of them (admin); checked whole, nothing stored when refused; the survey's text must contain {link}",
                body: object(
                    [
                        "followUpDays": number, "followUpText": string, "surveysEnabled": boolean, "surveyDelayMinutes": number,
                        "surveyText": string, "agentLimitYen": number, "reportTimeZone": string, "forbiddenWords": array(string),
                        "slaWarningMinutes": ["type": "array", "items": number, "maxItems": 5], "slaWebhookURL": string, "slaEmailInboxId": integer,
                        "autoAssignInboxIds": array(integer), "assignOfflineMinutes": number, "approvalUserIds": array(integer),
                        "approvalInboxIds": array(integer),
                    ], required: []), response: "WorkspaceSettings"),
            Op(method: "get", path: "/settings/workspace", summary: "Agent UI: automatic messages and agents' limits (HTML; admins only)"),
            Op(method: "get", path: "/settings/automation", summary: "Agent UI: automation rules, a new rule and its dry run (HTML; admins only)"),
            Op(method: "get", path: "/api/v1/help/categories", summary: "Help center categories, every language", response: "HelpCategoryList"),
            Op(
                method: "post", path: "/api/v1/help/categories", summary: "Add a help center category (admin); translationOf links a translation",
                body: object(
                    [
                        "locale": enumeration(HelpLocale.allCases.map(\.rawValue)), "name": name, "description": string, "position": integer,
                        "translationOf": integer,
                    ], required: ["locale", "name"]), status: 201, response: "HelpCategory"),
            Op(
                method: "patch", path: "/api/v1/help/categories/{id}", summary: "Edit a help center category (admin)",
                body: object(["name": name, "description": string, "position": integer, "translationOf": integer], required: []),
                response: "HelpCategory"),
            Op(
                method: "delete", path: "/api/v1/help/categories/{id}", summary: "Delete a category (admin); its articles stay, uncategorised",
                status: 204),
            Op(
                method: "get", path: "/api/v1/help/articles", summary: "Help center articles, drafts included", response: "HelpArticleList",
                query: ["locale"]),
            Op(
                method: "get", path: "/api/v1/help/articles/{id}", summary: "An article with its rendered HTML, translations and readers' votes",
                response: "HelpArticleDetail"),
            Op(
                method: "post", path: "/api/v1/help/articles",
                summary:
                    "Write a help center article (admin): the title is the question, the body Markdown (sanitized when shown); alternatives are other phrasings, synonyms the shop's words (both searched, and used by the bot); translationOf links a translation",
                body: object(
                    [
                        "locale": enumeration(HelpLocale.allCases.map(\.rawValue)), "title": string, "body": string, "categoryId": integer,
                        "status": enumeration(HelpArticle.Status.allCases.map(\.rawValue)), "position": integer, "alternatives": array(string),
                        "synonyms": array(string), "translationOf": integer,
                    ], required: ["locale", "title"]), status: 201, response: "HelpArticle"),
            Op(
                method: "patch", path: "/api/v1/help/articles/{id}", summary: "Edit an article (admin); checked whole, nothing stored when refused",
                body: object(
                    [
                        "title": string, "body": string, "categoryId": integer, "status": enumeration(HelpArticle.Status.allCases.map(\.rawValue)),
                        "position": integer, "alternatives": array(string), "synonyms": array(string), "translationOf": integer,
                    ], required: []), response: "HelpArticle"),
            Op(method: "delete", path: "/api/v1/help/articles/{id}", summary: "Delete an article (admin)", status: 204),
            Op(method: "get", path: "/api/v1/help/settings", summary: "How the help center presents the shop", response: "HelpCenterSettings"),
            Op(
                method: "put", path: "/api/v1/help/settings", summary: "Set the shop's name, logo, colour and contact for the help center (admin)",
                body: object(
                    [
                        "shopName": name, "logoURL": string, "color": string, "supportEmail": string, "phone": string, "returnPolicyURL": string,
                        "contactInboxId": integer,
                    ], required: ["shopName", "color"]), response: "HelpCenterSettings"),
            Op(method: "get", path: "/api/v1/commerce/stores", summary: "Connected shop systems (admin)", response: "CommerceStoreList"),
            Op(
                method: "post", path: "/api/v1/commerce/stores",
                summary:
                    "Connect a store (admin); credentials are encrypted at rest. Shopify: settings.shop (example-shop.myshopify.com), orderPrefix/orderSuffix; credentials clientId and clientSecret of the store's own app (or a legacy accessToken); its webhooks go to /webhooks/shopify/{id}. Rakuten: settings.licenseKeyIssued (2026-11-20: the key lasts 90 days); credentials serviceSecret and licenseKey. Rakuten and BASE: settings.replacementStore, the id of a Shopify store that makes their reships as draft orders",
                body: object(
                    [
                        "name": name, "platform": enumeration(CommercePlatform.allCases.map(\.rawValue)), "settings": ["type": "object"],
                        "credentials": ["type": "object"],
                    ], required: ["name", "platform"]), status: 201, response: "CommerceStore"),
            Op(
                method: "patch", path: "/api/v1/commerce/stores/{id}",
                summary:
                    "Edit a connected store (admin): a renewed Rakuten licence key and its day, a store for replacements; settings and credentials merge key by key, \"\" removes a key; checked whole, nothing stored when refused",
                body: object(["name": name, "settings": ["type": "object"], "credentials": ["type": "object"]], required: []),
                response: "CommerceStore"),
            Op(
                method: "get", path: "/api/v1/conversations/{id}/orders",
                summary:
                    "The orders beside a conversation and why each is shown (a number in a customer message, the contact's addresses and phones, an agent's link); each store asked afresh within a few seconds, else its cached orders with their age",
                response: "OrdersPanel"),
            Op(
                method: "post", path: "/api/v1/conversations/{id}/orders/links",
                summary: "Link a cached order to a conversation (the agent's choice when several customers match)",
                body: object(["store": integer, "orderId": string]), status: 204),
            Op(
                method: "get", path: "/api/v1/conversations/{id}/order-actions", summary: "Fixes on orders recorded in a conversation",
                response: "OrderActionList"),
            Op(
                method: "post", path: "/api/v1/conversations/{id}/order-actions",
                summary:
                    "Ask for a fix on a cached order (refund, reship, coupon, gift card, cancel, note). Above an agent's limit (¥5,000 unless the workspace says otherwise) it waits for an admin; where the store cannot act it is a task with a checklist; otherwise it is submitted once under its key",
                body: object(
                    [
                        "store": integer, "orderId": string, "kind": enumeration(OrderActionKind.allCases.map(\.rawValue)), "reason": string,
                        "lines": array(object(["lineId": string, "quantity": integer])), "amount": string, "percent": integer,
                    ], required: ["store", "orderId", "kind", "reason"]), status: 201, response: "OrderAction"),
            Op(
                method: "get", path: "/api/v1/conversations/{id}/refund-suggestion",
                summary:
                    "What Shopify would refund for some items (lines=<lineId>:<quantity>,…; none: the whole order), and whether it needs an admin",
                response: "RefundSuggestion", query: ["store", "orderId", "lines"]),
            Op(
                method: "post", path: "/api/v1/order-actions/{id}/approve", summary: "Approve a fix above an agent's limit (admin)",
                response: "OrderAction"),
            Op(
                method: "post", path: "/api/v1/order-actions/{id}/reject", summary: "Refuse a fix above an agent's limit (admin)",
                response: "OrderAction"),
            Op(
                method: "post", path: "/api/v1/order-actions/{id}/done", summary: "Mark a task (a fix the store cannot carry out) done",
                response: "OrderAction"),
            Op(
                method: "post", path: "/api/v1/order-actions/{id}/code",
                summary: "A gift card's code, once, to the agent who asked for it (then only its last characters remain)",
                response: "GiftCardCode"),
            Op(
                method: "post", path: "/webhooks/shopify/{store}",
                summary:
                    "Shopify webhooks of one connected store (orders/create|updated|cancelled, fulfillments/create|update, refunds/create); X-Shopify-Hmac-Sha256 with the app's client secret required, deduplicated by X-Shopify-Webhook-Id and X-Shopify-Event-Id, answered after commit",
                auth: false),
            Op(
                method: "post", path: "/webhooks/line/{inbox}",
                summary:
                    "LINE Messaging API webhook for one LINE inbox; x-line-signature (HMAC-SHA256 with the channel secret) required, answered after commit",
                auth: false),
            Op(
                method: "get", path: "/webhooks/facebook/{inbox}",
                summary:
                    "Facebook/Instagram webhook subscription handshake: echoes hub.challenge when hub.verify_token matches (text/plain), else 403",
                query: ["hub.mode", "hub.verify_token", "hub.challenge"], auth: false),
            Op(
                method: "post", path: "/webhooks/facebook/{inbox}",
                summary:
                    "Facebook Page / Instagram webhook (Messenger and feed); X-Hub-Signature-256 with the app secret required, answered after commit",
                auth: false),
            Op(
                method: "get", path: "/webhooks/x/{inbox}",
                summary:
                    "X Account Activity CRC check: {\"response_token\": \"sha256=…\"} for a crc_token of 1–128 characters from A–Z a–z 0–9 - _ . ~ + / = (anything else 422; 429 past 10 a minute per address)",
                query: ["crc_token"], auth: false),
            Op(
                method: "post", path: "/webhooks/x/{inbox}",
                summary:
                    "X Account Activity webhook (mentions, DMs); x-twitter-webhooks-signature with the consumer secret required, answered after commit",
                auth: false),
            Op(
                method: "get", path: "/files/{sha256}",
                summary:
                    "A file an agent sent, for the platform that fetches it (LINE, Messenger); the signed, expiring link is the permission, else 403",
                query: ["exp", "type", "name", "sig"], auth: false),
            Op(method: "get", path: "/api/v1/stream", summary: "WebSocket of live events (conversation and message changes)"),
        ]
    }

    static var document: Object {
        var paths: [String: Object] = [:]
        for op in ops {
            var operation: Object = ["summary": op.summary, "operationId": "\(op.method)\(op.path)"]
            var parameters: [Object] = op.query.map { ["name": $0, "in": "query", "required": false, "schema": string] }
            for segment in op.path.split(separator: "/") where segment.hasPrefix("{") {
                let name = String(segment.dropFirst().dropLast())
                parameters.append(["name": name, "in": "path", "required": true, "schema": name == "sha256" ? string : integer])
            }
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if let body = op.body {
                operation["requestBody"] = [
                    "required": true, "content": Object(uniqueKeysWithValues: op.bodyTypes.map { ($0, ["schema": body] as Object) }),
                ]
            }
            var success: Object = ["description": "success"]
            if let r = op.response { success["content"] = ["application/json": ["schema": ref(r)]] }
            var problemContent: Object = ["application/problem+json": ["schema": ref("Problem")]]
            // The UI's pages (and the set-up form) answer their errors as a page.
            if !op.path.hasPrefix("/api/") && !op.path.hasPrefix("/webhooks/") { problemContent["text/html"] = ["schema": string] }
            let problem: Object = ["description": "problem", "content": problemContent]
            var responses: Object = [String(op.status): success, "4XX": problem, "5XX": problem]
            for other in op.alsoStatus { responses[String(other)] = success }
            operation["responses"] = responses
            if !op.auth { operation["security"] = [Object]() }
            paths[op.path, default: [:]][op.method] = operation
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Kotae API", "version": "1.0.0",
                "description": "The customer-care desk's REST API. Errors are RFC 9457 problem details with a stable `code`.",
            ],
            "paths": paths,
            "components": [
                "schemas": schemas,
                "securitySchemes": [
                    "token": ["type": "http", "scheme": "bearer"],
                    "session": ["type": "apiKey", "in": "cookie", "name": "kotae_session"],
                ],
            ],
            "security": [["token": [String]()], ["session": [String]()]],
        ]
    }

    static let json: String = {
        let data = try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self)
    }()
}
