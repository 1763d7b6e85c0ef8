import Foundation
import KotaeCore

/// Server-rendered SVG charts: readable without JavaScript, styled by class from app.css (the
/// pages' CSP allows no inline style), every text escaped. Each chart sits beside a table
/// holding its numbers.
enum ReportCharts {
    struct Series {
        let name: String
        let cls: String
        let values: [Double?]
    }

    static let width = 640.0, height = 220.0, left = 72.0, right = 12.0, top = 12.0, bottom = 44.0

    static func escape(_ s: String) -> String { HTMLEscape.text(s) }

    static func number(_ v: Double) -> String { String(format: "%.1f", v) }

    private static func frame(_ title: String, _ body: String) -> String {
        """
        <svg class="chart" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(escape(title))" xmlns="http://www.w3.org/2000/svg"><title>\(escape(title))</title>\(body)</svg>
        """
    }

    /// The value axis: four grid lines with their labels, from zero to a round top.
    private static func axis(max: Double, format: (Double) -> String) -> (body: String, y: (Double) -> Double) {
        let top = max > 0 ? max * 1.1 : 1
        let plot = height - Self.top - bottom
        let y = { (v: Double) in Self.top + plot * (1 - v / top) }
        var body = ""
        for i in 0...4 {
            let v = top * Double(i) / 4
            body += "<line class=\"grid\" x1=\"\(number(left))\" x2=\"\(number(width - right))\" y1=\"\(number(y(v)))\" y2=\"\(number(y(v)))\"/>"
            body += "<text class=\"tick\" x=\"\(number(left - 6))\" y=\"\(number(y(v) + 4))\" text-anchor=\"end\">\(escape(format(v)))</text>"
        }
        return (body, y)
    }

    /// At most eight labels along the bottom, evenly spread.
    private static func labels(_ labels: [String], x: (Int) -> Double) -> String {
        guard !labels.isEmpty else { return "" }
        let step = max(1, Int((Double(labels.count) / 8).rounded(.up)))
        return stride(from: 0, to: labels.count, by: step).map {
            "<text class=\"tick\" x=\"\(number(x($0)))\" y=\"\(number(height - bottom + 16))\" text-anchor=\"middle\">\(escape(labels[$0]))</text>"
        }.joined()
    }

    private static func legend(_ series: [Series]) -> String {
        var x = left
        return series.map { s in
            defer { x += 18 + Double(s.name.count) * 11 }
            return "<rect class=\"\(s.cls) key\" x=\"\(number(x))\" y=\"\(number(height - 16))\" width=\"10\" height=\"10\"/>"
                + "<text class=\"legend\" x=\"\(number(x + 14))\" y=\"\(number(height - 7))\">\(escape(s.name))</text>"
        }.joined()
    }

    /// Lines over the labels, a gap where a value is unknown.
    static func lines(_ title: String, labels: [String], series: [Series], format: (Double) -> String) -> String {
        let peak = series.flatMap { $0.values.compactMap { $0 } }.max() ?? 0
        let (grid, y) = axis(max: peak, format: format)
        let span = width - left - right
        let x = { (i: Int) in labels.count < 2 ? left + span / 2 : left + span * Double(i) / Double(labels.count - 1) }
        var body = grid + Self.labels(labels, x: x)
        for s in series {
            var run: [String] = []
            func flush() {
                if run.count > 1 { body += "<polyline class=\"\(s.cls)\" fill=\"none\" points=\"\(run.joined(separator: " "))\"/>" }
                run = []
            }
            for (i, v) in s.values.enumerated() {
                guard let v, i < labels.count else {
                    flush()
                    continue
                }
                run.append("\(number(x(i))),\(number(y(v)))")
                body +=
                    "<circle class=\"\(s.cls)\" cx=\"\(number(x(i)))\" cy=\"\(number(y(v)))\" r=\"3\"><title>\(escape("\(labels[i]) \(s.name): \(format(v))"))</title></circle>"
            }
            flush()
        }
        return frame(title, body + legend(series))
    }

    /// Bars per label, side by side or stacked.
    static func bars(_ title: String, labels: [String], series: [Series], stacked: Bool = false, format: (Double) -> String) -> String {
        let totals = labels.indices.map { i in series.map { $0.values.indices.contains(i) ? $0.values[i] ?? 0 : 0 } }
        let peak = (stacked ? totals.map { $0.reduce(0, +) } : totals.flatMap { $0 }).max() ?? 0
        let (grid, y) = axis(max: peak, format: format)
        let slot = (width - left - right) / Double(max(labels.count, 1))
        let x = { (i: Int) in left + slot * (Double(i) + 0.5) }
        var body = grid + Self.labels(labels, x: x)
        let barWidth = stacked ? slot * 0.7 : slot * 0.8 / Double(max(series.count, 1))
        for (i, values) in totals.enumerated() {
            var base = 0.0
            for (j, v) in values.enumerated() where v > 0 {
                let bx = stacked ? x(i) - barWidth / 2 : x(i) - slot * 0.4 + barWidth * Double(j)
                let y0 = y(stacked ? base + v : v), y1 = y(stacked ? base : 0)
                body +=
                    "<rect class=\"\(series[j].cls)\" x=\"\(number(bx))\" y=\"\(number(y0))\" width=\"\(number(barWidth))\" height=\"\(number(max(0, y1 - y0)))\">"
                body += "<title>\(escape("\(labels[i]) \(series[j].name): \(format(v))"))</title></rect>"
                if stacked { base += v }
            }
        }
        return frame(title, body + legend(series))
    }

    /// A grid of counts, darker where there are more.
    static func heatmap(_ title: String, rows: [String], columns: [String], values: [[Int]]) -> String {
        let peak = max(values.flatMap { $0 }.max() ?? 0, 1)
        let cellW = (width - left - right) / Double(max(columns.count, 1)), cellH = (height - top - bottom) / Double(max(rows.count, 1))
        var body = ""
        for (r, name) in rows.enumerated() {
            body +=
                "<text class=\"tick\" x=\"\(number(left - 6))\" y=\"\(number(top + cellH * (Double(r) + 0.65)))\" text-anchor=\"end\">\(escape(name))</text>"
            for (c, v) in (r < values.count ? values[r] : []).enumerated() {
                let opacity = v == 0 ? 0.04 : 0.15 + 0.85 * Double(v) / Double(peak)
                body +=
                    "<rect class=\"heat\" x=\"\(number(left + cellW * Double(c)))\" y=\"\(number(top + cellH * Double(r)))\" width=\"\(number(cellW - 1))\" height=\"\(number(cellH - 1))\" fill-opacity=\"\(String(format: "%.2f", opacity))\">"
                body += "<title>\(escape("\(name) \(c < columns.count ? columns[c] : ""): \(v)"))</title></rect>"
            }
        }
        for (c, name) in columns.enumerated() where c % 3 == 0 {
            body +=
                "<text class=\"tick\" x=\"\(number(left + cellW * (Double(c) + 0.5)))\" y=\"\(number(height - bottom + 16))\" text-anchor=\"middle\">\(escape(name))</text>"
        }
        return frame(title, body)
    }
}
