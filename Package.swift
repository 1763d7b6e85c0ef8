// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "Kotae",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kotae", targets: ["kotae"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"4.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/pointfreeco/swift-clocks.git", from: "1.1.1"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/JohnSundell/Ink.git", from: "0.6.0"),
    ],
    targets: [
        .target(
            name: "KotaeCore",
            dependencies: []
        ),
        .target(name: "CSQLiteOptions"),
        // Mail as bytes: MIME, charsets, encoded words, composing. Foundation and Core only,
        // so the fuzzer builds it alone.
        .target(name: "KotaeMail", dependencies: ["KotaeCore"]),
        .target(
            name: "KotaeStore",
            dependencies: [
                "KotaeCore", "CSQLiteOptions",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "KotaeChannels",
            dependencies: [
                "KotaeCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Orders from shop systems: sources behind one interface, matching, platform clients.
        .target(
            name: "KotaeCommerce",
            dependencies: [
                "KotaeCore", "KotaeChannels", "KotaeMail",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        .target(
            name: "KotaeServer",
            dependencies: [
                "KotaeCore", "KotaeStore", "KotaeChannels", "KotaeMail", "KotaeCommerce",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Ink", package: "Ink"),
            ],
            resources: [.copy("Web/templates"), .copy("Web/assets")]
        ),
        .executableTarget(
            name: "kotae",
            dependencies: [
                "KotaeServer", "KotaeStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "KotaeTesting",
            dependencies: [
                "KotaeServer",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Clocks", package: "swift-clocks"),
            ],
            path: "Tests/KotaeTesting"
        ),
        .testTarget(name: "KotaeCoreTests", dependencies: ["KotaeCore", "KotaeFixtures"]),
        // The fixtures in Tests/Fixtures, for the test targets that need nothing else.
        .target(name: "KotaeFixtures", path: "Tests/KotaeFixtures"),
        .testTarget(name: "KotaeChannelsTests", dependencies: ["KotaeChannels", "KotaeCore", "KotaeFixtures"]),
        .testTarget(name: "KotaeMailTests", dependencies: ["KotaeMail", "KotaeCore"]),
        .testTarget(name: "KotaeCommerceTests", dependencies: ["KotaeCommerce", "KotaeCore", "KotaeFixtures"]),
        .testTarget(name: "KotaeStoreTests", dependencies: ["KotaeStore", "KotaeTesting"]),
        .testTarget(
            name: "KotaeServerTests",
            dependencies: [
                "KotaeServer", "KotaeTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Clocks", package: "swift-clocks"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
    ]
)

// Kotae's own Swift targets build with warnings as errors: a warning left today hides
// tomorrow's. (Dependencies keep their own settings.)
for target in package.targets where target.name != "CSQLiteOptions" {
    target.swiftSettings = (target.swiftSettings ?? []) + [.treatAllWarnings(as: .error)]
}
