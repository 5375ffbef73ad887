// swift-tools-version: 6.0
import PackageDescription

/// Swift 6 language mode everywhere; warnings are treated as work to do, not noise.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// The services: each is a library `Services/<Name>/<Name>` (definition, domain, store, RPC
/// service) and a thin executable `pingan-<name>` (`Services/<Name>/<Name>Server`). A new
/// service adds one line here (see Services/_Template/README.md).
let services: [(name: String, dependencies: [Target.Dependency])] = [
    ("Registry", ["PinganCampaign", "PinganPersonalData", "PinganRegistryContracts"]),
    ("Training", ["PinganCampaign", "PinganTrainingContracts", "PinganRegistryContracts", "PinganVolunteerReplica"]),
    ("Duty", ["PinganCampaign", "PinganDutyContracts", "PinganPersonalData", "PinganRegistryContracts", "PinganTrainingContracts", "PinganVolunteerReplica"]),
    ("Finance", ["PinganCampaign", "PinganFinanceContracts", "PinganDutyContracts"]),
]

/// What every service library and executable is built on.
let serviceLibraryDependencies: [Target.Dependency] = [
    "PinganServiceKit", "PinganStore", "PinganRules", "PinganRPC", "PinganCatalog", "PinganProtocolContracts",
    .product(name: "GRDB", package: "GRDB.swift"),
    .product(name: "SwiftProtobuf", package: "swift-protobuf"),
    .product(name: "Logging", package: "swift-log"),
    .product(name: "ArgumentParser", package: "swift-argument-parser"),
]

let serviceTargets: [Target] = services.flatMap { service -> [Target] in [
    .target(name: service.name, dependencies: serviceLibraryDependencies + service.dependencies,
            path: "Services/\(service.name)/\(service.name)", swiftSettings: swiftSettings),
    .executableTarget(name: "\(service.name)Server",
                      dependencies: ["PinganServiceHost", .target(name: service.name), .product(name: "ArgumentParser", package: "swift-argument-parser")],
                      path: "Services/\(service.name)/\(service.name)Server", swiftSettings: swiftSettings),
] }

let package = Package(
    name: "pingan",
    platforms: [.macOS(.v15)],
    products: services.map { .executable(name: "pingan-\($0.name.lowercased())", targets: ["\($0.name)Server"]) } + [
        .executable(name: "pingan", targets: ["GatewayCLI"]),
        .executable(name: "pingan-bench", targets: ["PinganBench"]),
        .executable(name: "pingan-registry-demo", targets: ["RegistryDemo"]),
        .executable(name: "pingan-training-demo", targets: ["TrainingDemo"]),
        .executable(name: "pingan-duty-demo", targets: ["DutyDemo"]),
        .executable(name: "pingan-finance-demo", targets: ["FinanceDemo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // MARK: Shared - transport
        .target(
            name: "COpenSSL",
            path: "Shared/COpenSSL",
            linkerSettings: [.linkedLibrary("ssl"), .linkedLibrary("crypto")]
        ),
        .target(
            name: "PinganIdentity",
            path: "Shared/Identity",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganTLS",
            dependencies: [
                "COpenSSL", "PinganIdentity",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Shared/TLS",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganPersonalData",
            dependencies: ["COpenSSL"],
            path: "Shared/PersonalData",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganRules",
            path: "Shared/Rules",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganCatalog",
            path: "Shared/Catalog",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganServiceKit",
            dependencies: [
                "PinganRPC", "PinganStore", "PinganRules", "PinganCatalog", "PinganProtocolContracts",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Shared/ServiceKit",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganVolunteerReplica",
            dependencies: [
                "PinganRPC", "PinganProtocolContracts", "PinganRegistryContracts",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            path: "Shared/VolunteerReplica",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganRPCTesting",
            dependencies: ["PinganRPC", "PinganIdentity", .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio")],
            path: "Shared/RPCTesting",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganCampaign",
            path: "Shared/Campaign",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CSQLite",
            path: "Shared/CSQLite",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        .target(
            name: "PinganStore",
            dependencies: ["PinganRules", "CSQLite", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Shared/Store",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganWire",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            path: "Shared/Wire",
            exclude: ["PROTOCOL.md"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganProtocolContracts",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Shared/Contracts/Protocol",
            exclude: ["proto"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganRegistryContracts",
            dependencies: ["PinganRPC", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Shared/Contracts/Registry",
            exclude: ["proto"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganFinanceContracts",
            dependencies: ["PinganRPC", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Shared/Contracts/Finance",
            exclude: ["proto"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganDutyContracts",
            dependencies: ["PinganRPC", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Shared/Contracts/Duty",
            exclude: ["proto"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganTrainingContracts",
            dependencies: ["PinganRPC", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Shared/Contracts/Training",
            exclude: ["proto"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganRPC",
            dependencies: [
                "PinganWire", "PinganIdentity", "PinganProtocolContracts", "PinganRules",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/RPC",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganRPCTransport",
            dependencies: [
                "PinganRPC", "PinganTLS", "PinganWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            path: "Shared/RPCTransport",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganServiceHost",
            dependencies: [
                "PinganRPC", "PinganRPCTransport", "PinganTLS", "PinganServiceKit", "PinganCatalog",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Shared/ServiceHost",
            swiftSettings: swiftSettings
        ),

        // MARK: Services: see `services` above
        .executableTarget(
            name: "RegistryDemo",
            dependencies: [
                "Registry", "PinganCampaign", "PinganRegistryContracts", "PinganRPC", "PinganRPCTransport", "PinganTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/Registry/RegistryDemo", swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "DutyDemo",
            dependencies: [
                "PinganCampaign", "PinganCatalog", "PinganDutyContracts", "PinganRegistryContracts", "PinganTrainingContracts", "PinganRPC", "PinganRPCTransport",
                "PinganTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/Duty/DutyDemo", swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "FinanceDemo",
            dependencies: [
                "PinganCatalog", "PinganDutyContracts", "PinganFinanceContracts", "PinganRPC", "PinganRPCTransport", "PinganTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/Finance/FinanceDemo", swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "TrainingDemo",
            dependencies: [
                "PinganCampaign", "PinganCatalog", "PinganRegistryContracts", "PinganTrainingContracts", "PinganRPC", "PinganRPCTransport", "PinganTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/Training/TrainingDemo", swiftSettings: swiftSettings
        ),
        .target(
            name: "Gateway",
            dependencies: [
                "COpenSSL", "PinganCampaign", "PinganCatalog", "PinganRPC", "PinganRPCTransport", "PinganTLS", "PinganProtocolContracts",
                "PinganRegistryContracts", "PinganTrainingContracts", "PinganDutyContracts", "PinganFinanceContracts",
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/Gateway/Gateway",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "GatewayCLI",
            dependencies: ["Gateway", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Services/Gateway/GatewayCLI", swiftSettings: swiftSettings
        ),

        // MARK: Benchmarks
        .executableTarget(
            name: "PinganBench",
            dependencies: [
                "PinganRPC", "PinganRPCTransport", "PinganTLS", "PinganServiceHost", "PinganRegistryContracts", "Registry",
                "PinganTrainingContracts", "PinganProtocolContracts", "PinganDutyContracts", "PinganCampaign", "Finance", "PinganFinanceContracts", "PinganStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tests/Benchmarks/PinganBench",
            exclude: ["bench.proto"],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .target(
            name: "PinganTestSupport",
            dependencies: [
                "PinganTLS", "PinganRPC", "PinganRPCTransport", "PinganRegistryContracts", "Registry", "PinganPersonalData",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/PinganTestSupport",
            exclude: ["make-test-certs.sh"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RegistryTests",
            dependencies: [
                "Registry", "PinganCampaign", "PinganStore", "PinganPersonalData", "PinganRegistryContracts", "PinganRPC", "PinganRPCTesting",
                "PinganRules", "PinganIdentity", "PinganTestSupport", "PinganProtocolContracts", "PinganServiceKit", "PinganVolunteerReplica", "Training", "PinganRPCTransport",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"), .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrainingTests",
            dependencies: [
                "Training", "PinganCampaign", "PinganStore", "PinganTrainingContracts", "PinganRPC", "PinganIdentity", "PinganRules", "PinganRPCTesting", "PinganVolunteerReplica",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FinanceTests",
            dependencies: [
                "Finance", "PinganCampaign", "PinganStore", "PinganRules", "PinganRPC", "PinganRPCTesting", "PinganFinanceContracts", "PinganServiceKit", "PinganProtocolContracts",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DutyTests",
            dependencies: [
                "Duty", "PinganCampaign", "PinganStore", "PinganDutyContracts", "PinganRPC", "PinganRPCTesting", "PinganRules", "PinganPersonalData", "PinganServiceKit", "PinganVolunteerReplica",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServiceHostTests",
            dependencies: ["PinganServiceHost", "PinganServiceKit", "PinganCatalog", "PinganRPC", "PinganRPCTransport", "PinganTestSupport", "Duty",
                           "PinganProtocolContracts", .product(name: "Logging", package: "swift-log"), .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: ["Gateway"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PersonalDataTests",
            dependencies: ["PinganPersonalData"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WireTests",
            dependencies: [
                "PinganWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TLSTests",
            dependencies: [
                "PinganTLS", "PinganTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RPCTests",
            dependencies: [
                "PinganRPC", "PinganWire", "PinganProtocolContracts", "PinganIdentity", "PinganRules", "PinganRPCTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "PinganRPC", "PinganRPCTransport", "PinganTLS", "PinganWire", "PinganTestSupport",
                "PinganProtocolContracts", "PinganRegistryContracts", "Registry", "PinganPersonalData",
                "PinganTrainingContracts", "Training", "PinganCampaign", "PinganRules", "PinganServiceHost", "PinganCatalog", "PinganServiceKit",
                "PinganDutyContracts", "PinganFinanceContracts",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            exclude: ["Peers"],
            swiftSettings: swiftSettings
        ),
    ] + serviceTargets,
    swiftLanguageModes: [.v6]
)
