import Mustache

// The page models Mustache reads most, with direct lookups. Left to Mirror, each `{{name}}`
// lists every field of the model (and `{{frame.t.…}}` inside a row lists the row's fields
// first): 50 inbox rows cost about 25 ms at 1M conversations (issue 11's bench).

extension PageFrame: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "lang": lang
        case "t": t
        case "csrf": csrf
        case "signedIn": signedIn
        case "userName": userName
        case "userId": userId
        case "isAdmin": isAdmin
        case "title": title
        case "stringsJSON": stringsJSON
        case "nav": nav
        case "notificationBadge": notificationBadge
        case "hasNotifications": hasNotifications
        case "timeZone": timeZone
        default: nil
        }
    }
}

extension ConversationRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "href": href
        case "name": self.name
        case "channel": channel
        case "channelLabel": channelLabel
        case "snippet": snippet
        case "waitingSince": waitingSince
        case "waitingText": waitingText
        case "sla": sla
        case "slaText": slaText
        case "dueAt": dueAt
        case "warnAt": warnAt
        case "dueText": dueText
        case "remainingText": remainingText
        case "assignee": assignee
        case "unread": unread
        case "isPublic": isPublic
        case "stateKey": stateKey
        case "status": status
        case "priority": priority
        case "priorityText": priorityText
        case "sendFailed": sendFailed
        case "reasonText": reasonText
        default: nil
        }
    }
}

extension ViewLink: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "key": key
        case "label": label
        case "href": href
        case "count": count
        case "active": active
        default: nil
        }
    }
}
