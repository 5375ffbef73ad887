// swift-tools-version: 6.0
import PackageDescription

/// Swift 6 language mode everywhere; warnings are treated as work to do, not noise.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "pingan",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pingan-registry", targets: ["RegistryServer"]),
        .executable(name: "pingan-training", targets: ["TrainingServer"]),
        .executable(name: "pingan-duty", targets: ["DutyServer"]),
        .executable(name: "pingan-finance", targets: ["FinanceServer"]),
        .executable(name: "pingan", targets: ["GatewayCLI"]),
        .executable(name: "pingan-bench", targets: ["PinganBench"]),
        .executable(name: "pingan-registry-demo", targets: ["RegistryDemo"]),
        .executable(name: "pingan-training-demo", targets: ["TrainingDemo"]),
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
            name: "PinganCampaign",
            path: "Shared/Campaign",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganStore",
            dependencies: ["PinganRPC", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "SwiftProtobuf", package: "swift-protobuf")],
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
            name: "PinganTrainingContracts",
            dependencies: ["PinganRPC", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Shared/Contracts/Training",
            exclude: ["proto"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PinganRPC",
            dependencies: [
                "PinganWire", "PinganIdentity", "PinganProtocolContracts",
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
                "PinganRPC", "PinganRPCTransport", "PinganTLS",
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

        // MARK: Services (each executable is one short @main file)
        .target(
            name: "Registry",
            dependencies: [
                "PinganCampaign", "PinganStore", "PinganPersonalData", "PinganRegistryContracts", "PinganRPC", "PinganProtocolContracts",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Services/Registry/Registry",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "RegistryServer",
            dependencies: [
                "PinganServiceHost", "Registry", "PinganPersonalData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/Registry/RegistryServer", swiftSettings: swiftSettings
        ),
        .target(
            name: "Training",
            dependencies: [
                "PinganCampaign", "PinganStore", "PinganTrainingContracts", "PinganRegistryContracts", "PinganRPC", "PinganRPCTransport",
                "PinganProtocolContracts", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Services/Training/Training",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "TrainingServer",
            dependencies: [
                "PinganServiceHost", "Training", "PinganCampaign", "PinganRPCTransport", "PinganTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/Training/TrainingServer", swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "DutyServer", dependencies: ["PinganServiceHost"],
            path: "Services/Duty/DutyServer", swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "FinanceServer", dependencies: ["PinganServiceHost"],
            path: "Services/Finance/FinanceServer", swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "RegistryDemo",
            dependencies: [
                "Registry", "PinganCampaign", "PinganRegistryContracts", "PinganRPC", "PinganRPCTransport", "PinganTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/Registry/RegistryDemo", swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "TrainingDemo",
            dependencies: [
                "PinganCampaign", "PinganRegistryContracts", "PinganTrainingContracts", "PinganRPC", "PinganRPCTransport", "PinganTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/Training/TrainingDemo", swiftSettings: swiftSettings
        ),
        .target(
            name: "Gateway",
            dependencies: [
                "PinganCampaign", "PinganRPC", "PinganRPCTransport", "PinganTLS", "PinganProtocolContracts", "PinganRegistryContracts", "PinganTrainingContracts",
                .product(name: "NIOPosix", package: "swift-nio"),
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
                "PinganTrainingContracts", "PinganProtocolContracts",
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
                "PinganTLS", "PinganRPC", "PinganRPCTransport",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/PinganTestSupport",
            exclude: ["make-test-certs.sh"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RegistryTests",
            dependencies: ["Registry", "PinganCampaign", "PinganStore", "PinganPersonalData", "PinganRegistryContracts", "PinganRPC", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrainingTests",
            dependencies: [
                "Training", "PinganCampaign", "PinganStore", "PinganTrainingContracts", "PinganRPC", "PinganIdentity",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServiceHostTests",
            dependencies: ["PinganServiceHost"],
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
                "PinganRPC", "PinganWire", "PinganProtocolContracts", "PinganIdentity",
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
                "PinganTrainingContracts", "Training", "PinganCampaign",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            exclude: ["Peers"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
