#!/usr/bin/env bash
# Business-time arithmetic (issue 10, part 3), measured side by side: the SLA files of a
# baseline commit (default: before the week-at-a-time count) and of the work tree, each
# compiled with -O into a small program that times the same calls. Usage:
#   scripts/bench-business-time.sh [BASELINE_COMMIT]
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-cdc7b0d}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files="SLA/BusinessHours.swift SLA/LocalDate.swift SLA/JapaneseHolidays.swift Concurrency/Locked.swift"
mkdir -p "$work/old" "$work/new"
for f in $files; do
  git show "$base:Sources/KotaeCore/$f" > "$work/old/$(basename "$f")"
  cp "Sources/KotaeCore/$f" "$work/new/"
done
cat > "$work/main.swift" <<'EOF'
import Foundation
let hours = BusinessHours.weekdays(from: 9, to: 18)  // Mon–Fri 9–18, Japanese holidays closed
let yearOne = Date(timeIntervalSince1970: -62_135_596_800)
let now = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01
func time(_ label: String, _ runs: Int, _ f: () -> Double) {
    var t: [Double] = []
    var r = 0.0
    for _ in 0..<runs {
        let s = DispatchTime.now().uptimeNanoseconds
        r = f()
        t.append(Double(DispatchTime.now().uptimeNanoseconds - s) / 1e6)
    }
    t.sort()
    print("| \(label) | \(String(format: "%.3f", t[t.count / 2])) ms | \(r) |")
}
time("duration 0001-01-01 → 2026-12-01", 5) { hours.duration(from: yearOne, to: now) }
time("duration 2000-01-01 → 2026-12-01", 5) { hours.duration(from: Date(timeIntervalSince1970: 946_684_800), to: now) }
time("duration over one month", 51) { hours.duration(from: now.addingTimeInterval(-30 * 86400), to: now) }
time("due time of a 365-day business-time target", 5) { hours.adding(365 * 86400, to: now)?.timeIntervalSince1970 ?? -1 }
EOF
for side in old new; do
  swiftc -O -o "$work/$side.bin" "$work/$side"/*.swift "$work/main.swift"
done
for side in old new; do
  echo "== $side ($( [ $side = old ] && echo "$base" || echo "work tree"))"
  echo "| call | median | result |"
  "$work/$side.bin"
done
