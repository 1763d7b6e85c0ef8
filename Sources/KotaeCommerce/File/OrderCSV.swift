import CSV
import Foundation
import KotaeCore
import KotaeMail

/// Orders from any shop system as a CSV file: one row per item, rows with the same order number
/// one order, the order's own columns read from its first row. Headers are matched by name, in
/// English or Japanese (`docs/orders-template.csv` lists them), or as `--map` says; the file may
/// be UTF-8 (with or without BOM) or Shift_JIS as Japanese Excel saves it.
public struct OrderCSV: Sendable {
    /// What a column holds.
    public enum Column: String, CaseIterable, Sendable {
        case orderNumber = "order_number", orderedAt = "ordered_at", email, phone, customerName = "customer_name"
        case status, payment, total, currency, item, variant, sku, quantity, unitPrice = "unit_price"
        case carrier, trackingNumber = "tracking_number", trackingURL = "tracking_url", shippedAt = "shipped_at"
        case deliveredAt = "delivered_at", shipTo = "ship_to", note

        /// Header names read as this column, besides its own.
        var aliases: [String] {
            switch self {
            case .orderNumber: ["注文番号", "受注番号", "order number", "order id", "order"]
            case .orderedAt: ["注文日時", "注文日", "受注日", "order date", "created at"]
            case .email: ["メールアドレス", "メール", "e-mail", "email address"]
            case .phone: ["電話番号", "電話", "phone number", "tel"]
            case .customerName: ["氏名", "お名前", "注文者名", "購入者名", "name", "customer"]
            case .status: ["ステータス", "状態", "発送状況", "fulfillment status"]
            case .payment: ["支払い状況", "決済状況", "payment status", "financial status"]
            case .total: ["合計", "合計金額", "total price"]
            case .currency: ["通貨"]
            case .item: ["商品名", "品名", "item name", "product", "title"]
            case .variant: ["バリエーション", "オプション", "項目選択肢"]
            case .sku: ["商品番号", "商品コード", "品番"]
            case .quantity: ["数量", "個数", "qty"]
            case .unitPrice: ["単価", "価格", "price"]
            case .carrier: ["配送業者", "配送会社", "運送会社", "shipping carrier"]
            case .trackingNumber: ["追跡番号", "伝票番号", "お問い合わせ番号"]
            case .trackingURL: ["追跡url", "追跡リンク"]
            case .shippedAt: ["発送日", "出荷日"]
            case .deliveredAt: ["配達日", "お届け日", "配達完了日"]
            case .shipTo: ["お届け先", "配送先", "住所", "shipping address"]
            case .note: ["備考", "メモ", "notes"]
            }
        }
    }

    /// The file could not be read as orders at all.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public struct Result: Sendable {
        public var orders: [Order]
        /// Rows read, and what was wrong with those left out, by row number (the header is row 1).
        public var rows: Int
        public var warnings: [String]
        /// The charset the file was read in.
        public var charset: String
    }

    /// Header names that stand for a column, beyond the built-in ones (`order_number=受注ID`).
    public var mapping: [Column: String]
    /// Where dates without an offset were written.
    public var timeZone: TimeZone

    public init(mapping: [Column: String] = [:], timeZone: TimeZone = TimeZone(identifier: "Asia/Tokyo")!) {
        self.mapping = mapping
        self.timeZone = timeZone
    }

    public func read(_ data: Data, store: ID, now: Date = Date()) throws -> Result {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let decoded = Charset.decode(bytes, label: nil)
        let reader: CSVReader
        do { reader = try CSVReader(string: decoded.text, hasHeaderRow: true) } catch {
            throw Failure(description: "not a CSV file: \(error)")
        }
        let header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        let columns = try locate(header)
        var rows = 0
        var warnings: [String] = []
        var order: [String] = []
        var byNumber: [String: Order] = [:]
        var skipped: Set<String> = []
        while let row = reader.next() {
            rows += 1
            let line = rows + 1
            func value(_ c: Column) -> String? {
                guard let i = columns[c], i < row.count else { return nil }
                let v = row[i].trimmingCharacters(in: .whitespacesAndNewlines)
                return v.isEmpty ? nil : v
            }
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard let number = value(.orderNumber) else {
                warnings.append("row \(line): no order number; left out")
                continue
            }
            if skipped.contains(number) { continue }
            if byNumber[number] == nil {
                guard let ordered = value(.orderedAt).flatMap(date) else {
                    warnings.append("row \(line): order \(number) has no readable order date (\(value(.orderedAt) ?? "empty")); left out")
                    skipped.insert(number)
                    continue
                }
                byNumber[number] = Order(
                    key: OrderKey(store: store, id: number), number: number, email: value(.email), phone: value(.phone),
                    customerName: value(.customerName), createdAt: ordered, updatedAt: ordered,
                    payment: value(.payment).map(Self.payment) ?? .unknown, fulfilment: value(.status).map(Self.fulfilment) ?? .unknown,
                    total: value(.total).flatMap { amount(of: $0, line: line, into: &warnings) }.map {
                        Money(amount: $0, currency: value(.currency) ?? "JPY")
                    },
                    shippingAddress: value(.shipTo).map { PostalAddress(address1: $0) }, note: value(.note))
                order.append(number)
            }
            if let title = value(.item) {
                var quantity = 1
                if let q = value(.quantity) {
                    if let n = Int(q.precomposedStringWithCompatibilityMapping), n > 0 {
                        quantity = n
                    } else {
                        warnings.append("row \(line): quantity \"\(q)\" is not a number; read as 1")
                    }
                }
                byNumber[number]?.lines.append(
                    OrderLine(
                        title: title, variant: value(.variant), sku: value(.sku), quantity: quantity,
                        unitPrice: value(.unitPrice).flatMap { amount(of: $0, line: line, into: &warnings) }.map {
                            Money(amount: $0, currency: value(.currency) ?? "JPY")
                        }))
            }
            if let tracking = value(.trackingNumber), byNumber[number]?.shipments.contains(where: { $0.id == tracking }) == false {
                let delivered = value(.deliveredAt).flatMap(date)
                byNumber[number]?.shipments.append(
                    Shipment(
                        id: tracking, status: delivered != nil ? .delivered : .shipped, createdAt: value(.shippedAt).flatMap(date),
                        deliveredAt: delivered, tracking: [Tracking(company: value(.carrier), number: tracking, url: value(.trackingURL))]))
            }
        }
        return Result(orders: order.compactMap { byNumber[$0] }, rows: rows, warnings: warnings, charset: decoded.charset)
    }

    /// Which index each column is at. The order number and date are required.
    func locate(_ header: [String]) throws -> [Column: Int] {
        let names = header.map { $0.lowercased().precomposedStringWithCompatibilityMapping }
        var found: [Column: Int] = [:]
        for column in Column.allCases {
            let wanted = ([mapping[column]].compactMap { $0 } + [column.rawValue] + column.aliases).map {
                $0.lowercased().precomposedStringWithCompatibilityMapping
            }
            if let i = wanted.lazy.compactMap({ names.firstIndex(of: $0) }).first { found[column] = i }
        }
        for (column, header) in mapping where found[column] == nil {
            throw Failure(description: "no column \"\(header)\" (mapped to \(column.rawValue)) in the header: \(header)")
        }
        let missing = [Column.orderNumber, .orderedAt].filter { found[$0] == nil }
        guard missing.isEmpty else {
            throw Failure(
                description:
                    "the header has no \(missing.map(\.rawValue).joined(separator: " or ")) column (it has: \(header.joined(separator: ", "))); name it so, or map it with --map \(missing[0].rawValue)=<header>"
            )
        }
        return found
    }

    /// `12,800`, `¥12,800`, `１２８００円`: the number as decimal text.
    func amount(of text: String, line: Int, into warnings: inout [String]) -> String? {
        let plain = text.precomposedStringWithCompatibilityMapping.filter { !",¥￥円 ".contains($0) }
        guard Decimal(string: plain, locale: Locale(identifier: "en_US_POSIX")) != nil, plain.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" })
        else {
            warnings.append("row \(line): amount \"\(text)\" is not a number; left empty")
            return nil
        }
        return plain
    }

    /// `2026-11-20`, `2026/11/20 10:12`, `2026-11-20T10:12:44+09:00`: dates without an offset
    /// are the shop's time zone.
    func date(_ text: String) -> Date? {
        let t = text.precomposedStringWithCompatibilityMapping
        if let d = try? Date.ISO8601FormatStyle().parse(t) { return d }
        let formatter = ShopDates.formatter("yyyy-MM-dd", timeZone: timeZone)
        for format in [
            "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd", "yyyy/MM/dd HH:mm:ss", "yyyy/MM/dd HH:mm", "yyyy/MM/dd", "yyyy/M/d H:mm",
            "yyyy/M/d",
        ] {
            formatter.dateFormat = format
            if let d = formatter.date(from: t) { return d }
        }
        return nil
    }

    static func payment(_ text: String) -> PaymentState {
        switch text.lowercased() {
        case "paid", "支払い済み", "入金済み", "決済済み", "支払済": .paid
        case "pending", "未払い", "未入金", "入金待ち", "支払い待ち": .pending
        case "refunded", "返金済み": .refunded
        case "partially_refunded", "一部返金": .partiallyRefunded
        case "authorized", "与信済み": .authorized
        default: PaymentState(rawValue: text) ?? .unknown
        }
    }

    static func fulfilment(_ text: String) -> FulfilmentState {
        switch text.lowercased() {
        case "fulfilled", "shipped", "発送済み", "発送済", "出荷済み": .fulfilled
        case "unfulfilled", "未発送", "発送待ち", "出荷待ち": .unfulfilled
        case "partial", "一部発送": .partiallyFulfilled
        case "cancelled", "canceled", "キャンセル": .cancelled
        default: FulfilmentState(rawValue: text) ?? .unknown
        }
    }
}
