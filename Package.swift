// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Retrograd",
    products: [
        .library(name: "Retrograd", targets: ["Retrograd"]),
        .library(name: "RetrogradNN", targets: ["RetrogradNN"]),
        .library(name: "RetrogradOptimizers", targets: ["RetrogradOptimizers"]),
        .library(name: "RetrogradData", targets: ["RetrogradData"]),
        .library(name: "DomainAdaptation", targets: ["DomainAdaptation"]),
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
        .target(name: "RetrogradNN", dependencies: ["Retrograd"]),
        .target(name: "RetrogradOptimizers", dependencies: ["Retrograd"]),
        .target(name: "RetrogradData", dependencies: ["Retrograd"]),
        .target(
            name: "DomainAdaptation",
            dependencies: ["RetrogradNN", "RetrogradOptimizers", "RetrogradData"],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "RetrogradBenchmarks",
            dependencies: ["CRetrogradKernels", "RetrogradNN", "RetrogradOptimizers"],
            path: "Benchmarks/RetrogradBenchmarks"
        ),
        .executableTarget(
            name: "retrograd",
            dependencies: [
                "Retrograd", "RetrogradNN", "RetrogradOptimizers", "RetrogradData", "DomainAdaptation",
                "RetrogradBenchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "RetrogradTests", dependencies: ["Retrograd"]),
        .testTarget(name: "RetrogradNNTests", dependencies: ["RetrogradNN"]),
        // Gradient fuzzing: random expressions over nearly every differentiable op of
        // Retrograd and RetrogradNN, checked against finite differences to second order.
        .testTarget(name: "RetrogradFuzzTests", dependencies: ["Retrograd", "RetrogradNN"]),
        .testTarget(name: "RetrogradOptimizersTests", dependencies: ["RetrogradOptimizers"]),
        // Shared test helpers (scratch directories, expected errors); only test targets use it.
        .target(name: "RetrogradTestSupport", path: "Tests/RetrogradTestSupport"),
        .testTarget(name: "RetrogradDataTests", dependencies: ["RetrogradData", "RetrogradTestSupport"]),
        .testTarget(name: "DomainAdaptationTests", dependencies: ["DomainAdaptation", "RetrogradTestSupport"]),
        .testTarget(name: "RetrogradBenchmarksTests", dependencies: ["RetrogradBenchmarks", "RetrogradNN"]),
        .testTarget(name: "RetrogradTrainingTests", dependencies: ["RetrogradNN", "RetrogradOptimizers"]),
        // Runs the built `retrograd` executable as a subprocess (it builds it if missing).
        .testTarget(name: "RetrogradCLITests", dependencies: ["DomainAdaptation", "RetrogradTestSupport"]),
    ]
)
