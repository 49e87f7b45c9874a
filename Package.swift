// swift-tools-version: 6.1
import PackageDescription

/// Compiler settings every target shares: the upcoming features that make imports and existentials explicit.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),  // SE-0335
    .enableUpcomingFeature("MemberImportVisibility"),  // SE-0444
    .enableUpcomingFeature("InternalImportsByDefault"),  // SE-0409
]

let package = Package(
    name: "Triage",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "triage", targets: ["triage"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // MARK: - C libraries, each wrapped by exactly one stage
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // What Swift cannot say: glibc's allocator settings (`mallopt`, whose header Swift's Glibc module leaves
        // out) and a cache prefetch.
        .target(name: "CShims"),

        // MARK: - Stages
        .target(name: "Moderation", swiftSettings: strictSettings),
        .target(name: "YAMLSupport", dependencies: ["Moderation", "Yams"], swiftSettings: strictSettings),
        .target(
            name: "Ingestion",
            dependencies: ["Moderation", "CLibXML2", "CZlib"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Normalization",
            dependencies: ["Moderation"],
            exclude: ["Data"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Matching",
            dependencies: ["Moderation", "CPCRE2", "YAMLSupport"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Classification",
            dependencies: ["Moderation", "YAMLSupport", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .target(name: "Routing", dependencies: ["Moderation", "YAMLSupport"], swiftSettings: strictSettings),
        .target(name: "Reporting", dependencies: ["Moderation"], swiftSettings: strictSettings),
        .target(
            name: "Engine",
            dependencies: [
                "Moderation", "Ingestion", "Normalization", "Matching", "Classification", "Routing", "CShims",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: - The review queue (SQLite through GRDB)
        .target(
            name: "ReviewQueue",
            // Reporting: the exports' HTML page escapes with the scan report's `HTMLText`.
            dependencies: [
                "Moderation", "Reporting", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: - Front doors
        .executableTarget(
            name: "triage",
            dependencies: [
                "Engine", "Matching", "Moderation", "Ingestion", "Normalization", "Routing", "Reporting", "ReviewQueue",
                "CShims", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "triage-bench",
            dependencies: [
                "Engine", "Moderation", "Ingestion", "Normalization", "Matching", "Classification", "Routing",
            ],
            swiftSettings: strictSettings
        ),

        // MARK: - Tests
        .testTarget(
            name: "IngestionTests",
            dependencies: ["Ingestion", "Moderation", "CZlib"],  // CZlib: the tests make gzip files with deflate
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "NormalizationTests",
            dependencies: ["Normalization", "Moderation"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MatchingTests",
            dependencies: ["Matching", "Moderation", "Normalization"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ClassificationTests",
            dependencies: ["Classification", "Moderation", "Normalization"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "RoutingTests", dependencies: ["Routing", "Moderation"], swiftSettings: strictSettings),
        .testTarget(
            name: "EngineTests",
            dependencies: ["Engine", "Moderation", "Classification"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "ReviewQueueTests", dependencies: ["ReviewQueue"], swiftSettings: strictSettings),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Moderation"], swiftSettings: strictSettings),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["triage"],
            swiftSettings: strictSettings
        ),
    ]
)

// MARK: - Fuzzing harnesses

/// The libFuzzer harnesses in `Fuzz/`, one executable each, are part of the package only when `TRIAGE_FUZZ` is
/// set, as `make fuzz` does: they build only with `-sanitize=fuzzer` (each `main` hands over to libFuzzer's
/// driver), so `swift build` and `swift test` never see them.
let fuzzHarnesses: [(name: String, dependencies: [Target.Dependency])] = [
    ("fuzz-jsonl", ["Ingestion"]),
    ("fuzz-record", ["Engine", "Ingestion"]),
    ("fuzz-csv", ["Ingestion"]),
    ("fuzz-html", ["Ingestion", "Moderation"]),
    ("fuzz-normalizer", ["Normalization", "Moderation"]),
    ("fuzz-lexicon", ["Matching", "Moderation", "Normalization"]),
]
if Context.environment["TRIAGE_FUZZ"] != nil {
    package.targets.append(.systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"))
    for harness in fuzzHarnesses {
        package.targets.append(
            .executableTarget(
                name: harness.name,
                dependencies: harness.dependencies + ["CLibFuzzer"],
                path: "Fuzz/\(harness.name)",
                swiftSettings: strictSettings
            )
        )
        package.products.append(.executable(name: harness.name, targets: [harness.name]))
    }
}
