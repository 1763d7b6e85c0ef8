import Foundation

/// Figures as a person reads them, in Japanese or English. A duration is shown to the step of
/// its band (`ReportBands`), so what is shown is exact.
enum ReportFormat {
    static func duration(_ seconds: Double?, _ lang: String) -> String {
        guard let seconds else { return "—" }
        let s = Int(seconds.rounded())
        let ja = lang == "ja"
        if s < 60 { return ja ? "\(s)秒" : "\(s) s" }
        if s < 3600 {
            let m = s / 60, r = s % 60
            if m < 10, r > 0 { return ja ? "\(m)分\(r)秒" : "\(m) min \(r) s" }
            return ja ? "\(m)分" : "\(m) min"
        }
        if s < 86_400 {
            let h = s / 3600, m = (s % 3600) / 60
            return ja ? (m > 0 ? "\(h)時間\(m)分" : "\(h)時間") : (m > 0 ? "\(h) h \(m) min" : "\(h) h")
        }
        // Beyond 60 days a day is the step (`ReportBands`): the hours would be made up.
        let d = s / 86_400, h = d >= 60 ? 0 : (s % 86_400) / 3600
        return ja ? (h > 0 ? "\(d)日\(h)時間" : "\(d)日") : (h > 0 ? "\(d) d \(h) h" : "\(d) d")
    }

    static func share(_ v: Double?) -> String {
        guard let v else { return "—" }
        return String(format: "%.0f%%", v * 100)
    }

    static func figure(_ v: Double?, unit: String, _ lang: String) -> String {
        switch unit {
        case "seconds": duration(v, lang)
        case "share": share(v)
        default: v.map { String(Int($0)) } ?? "—"
        }
    }
}
