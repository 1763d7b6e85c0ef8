import Foundation
import KotaeCore
import KotaeStore

/// The contact form's time check without a third-party service: the page carries the time it
/// was made, signed; a form sent back sooner than a person could write it, later than a day,
/// or with a stamp not ours, is a program's.
struct ContactStamp: Sendable {
    static let fastest: TimeInterval = 3
    static let oldest: TimeInterval = 86_400
    private let key: SigningKey

    init(secret: String) {
        key = SigningKey(secret: secret, purpose: "kotae contact form v1")
    }

    func stamp(_ at: Date) -> String {
        let seconds = String(Int64(at.timeIntervalSince1970))
        return seconds + "." + signature(seconds)
    }

    enum Check: Equatable {
        case person, tooFast, stale, forged
    }

    func check(_ stamp: String?, now: Date) -> Check {
        let parts = (stamp ?? "").split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let seconds = Int64(parts[0]), constantTimeEquals(Array(signature(parts[0]).utf8), Array(parts[1].utf8)) else {
            return .forged
        }
        let age = now.timeIntervalSince1970 - Double(seconds)
        if age < Self.fastest { return .tooFast }
        if age > Self.oldest { return .stale }
        return .person
    }

    private func signature(_ text: String) -> String {
        Hex.encode(key.mac(text).prefix(16))
    }
}
