import Foundation

/// Loads the demo shop into the configured database without serving (`kotae demo`).
public func loadDemoShop(config: KotaeConfig) async throws {
    try await withOfflineServices(config: config, label: "kotae.demo") { services in
        if try await services.store.setting("demo_loaded") == nil {
            try await DemoShop.load(into: services)
        } else {
            print("The demo shop is already loaded.")
        }
    }
}
