import Hummingbird
import KotaeCore

/// Which methods each registered path answers, read from the router once it is built, so
/// a known path asked with another method answers 405 with `Allow` instead of 404.
final class RouteTable: Sendable {
    private struct Entry { let path: [RouterPath.Element]; let methods: [String] }
    private let entries = Locked<[Entry]>([])

    func load<Context>(from router: Router<Context>) {
        var byPath: [String: (RouterPath, Set<String>)] = [:]
        for route in router.routes {
            byPath[route.path.description, default: (route.path, [])].1.insert(route.method.rawValue)
        }
        let list = byPath.values.map { path, methods in Entry(path: Array(path), methods: methods.sorted()) }
        entries.withLock { $0 = list }
    }

    /// The methods of the first registered path matching `path`; nil when none matches.
    func methods(for path: String) -> [String]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        return entries.withLock { entries in
            entries.first { Self.matches($0.path, segments) }?.methods
        }
    }

    private static func matches(_ pattern: [RouterPath.Element], _ segments: [Substring]) -> Bool {
        var i = 0
        for element in pattern {
            if element == .recursiveWildcard { return true }
            guard i < segments.count, element ~= segments[i] else { return false }
            i += 1
        }
        return i == segments.count
    }
}
