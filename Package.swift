// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Retrograd",
    products: [
        .library(name: "Retrograd", targets: ["Retrograd"]),
        .executable(name: "retrograd", targets: ["retrograd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(
            name: "CRetrogradKernels",
            linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux])), .linkedLibrary("m")]
        ),
        .target(
            name: "Retrograd",
            dependencies: [
                "CRetrogradKernels",
                .product(name: "Numerics", package: "swift-numerics"),
            ]
        ),
        .executableTarget(
            name: "retrograd",
            dependencies: [
                "Retrograd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "RetrogradTests", dependencies: ["Retrograd"]),
    ]
)
