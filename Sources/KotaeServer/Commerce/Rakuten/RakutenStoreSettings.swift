import Foundation
import KotaeCommerce
import KotaeCore

/// A Rakuten Ichiba shop (RMS › 店舗様向け情報・サービス › WEB APIサービス).
struct RakutenStoreSettings: ChannelFieldSet {
    /// The day the licence key was issued (`2026-11-20`): RMS refuses it 90 days later.
    var licenseKeyIssued: String?
    /// `CommerceStore.replacementStoreSetting`: RMS cannot make a replacement order.
    var replacementStore: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case licenseKeyIssued, replacementStore }

    static let licenceDays = 90
    /// How long before the licence key runs out the panel and the store say so.
    static let warnDays = 14

    func problems() -> [FieldProblem] {
        guard let licenseKeyIssued, !licenseKeyIssued.isEmpty else { return [] }
        return Self.day(licenseKeyIssued) == nil ? [FieldProblem(key: "licenseKeyIssued", message: "write the day as 2026-11-20")] : []
    }

    /// When the licence key stops working, if the day it was issued is known.
    var licenceExpires: Date? {
        licenseKeyIssued.flatMap(Self.day).map { $0.addingTimeInterval(Double(Self.licenceDays) * 86_400) }
    }

    /// The expiry, when it is less than two weeks away (or past).
    func licenceWarning(now: Date) -> Date? {
        guard let expires = licenceExpires, expires.timeIntervalSince(now) < Double(Self.warnDays) * 86_400 else { return nil }
        return expires
    }

    static func day(_ text: String) -> Date? { ShopDates.formatter("yyyy-MM-dd").date(from: text) }
}

struct RakutenStoreCredentials: ChannelFieldSet {
    var serviceSecret: String?
    var licenseKey: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case serviceSecret, licenseKey }

    var complete: Bool { !(serviceSecret ?? "").isEmpty && !(licenseKey ?? "").isEmpty }
}
