// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Retrograd",
    products: [
        .library(name: "Retrograd", targets: ["Retrograd"]),
        .library(name: "RetrogradNN", targets: ["RetrogradNN"]),
        .library(name: "RetrogradOptimizers", targets: ["RetrogradOptimizers"]),
        .library(name: "RetrogradData", targets: ["RetrogradData"]),
        .library(name: "RetrogradDistributed", targets: ["RetrogradDistributed"]),
        .library(name: "DomainAdaptation", targets: ["DomainAdaptation"]),
        .executable(name: "retrograd", targets: ["retrograd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The numeric kernels: elementwise, reductions, data movement, GEMM (BLAS loader and
        // fallback), optimizer updates. They know nothing about tensors or tapes.
        .target(
            name: "CRetrogradKernels",
            linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux])), .linkedLibrary("m")]
        ),
        // The small runtime support of the Swift side, which the kernels never use: thread-local
        // slots (tape stack, anomaly monitor), the tape clock, the 0-d constant cache, allocator tuning.
        .target(name: "CRetrogradRuntime"),
        // Only Sources/Retrograd/Kernels calls into these two C targets.
        .target(name: "Retrograd", dependencies: ["CRetrogradKernels", "CRetrogradRuntime"]),
        // Every public op as a gradient-check case, for `retrograd gradcheck` and the tests.
        .target(name: "RetrogradCatalog", dependencies: ["Retrograd"]),
        .target(name: "RetrogradNN", dependencies: ["Retrograd"]),
        .target(name: "RetrogradOptimizers", dependencies: ["Retrograd"]),
        // Depends on RetrogradNN for whole-model checkpoints (architecture + weights).
        .target(name: "RetrogradData", dependencies: ["Retrograd", "RetrogradNN"]),
        // MPI opened at run time (dlopen, Open MPI's ABI): building never needs MPI.
        .target(name: "CRetrogradMPI", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        // Data-parallel training: process groups, fused allreduce, DistributedOptimizer.
        .target(name: "RetrogradDistributed", dependencies: ["Retrograd", "RetrogradOptimizers", "RetrogradData", "CRetrogradMPI"]),
        .target(
            name: "DomainAdaptation",
            dependencies: ["RetrogradNN", "RetrogradOptimizers", "RetrogradData", "RetrogradDistributed"],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "RetrogradBenchmarks",
            dependencies: ["RetrogradNN", "RetrogradOptimizers"],
            path: "Benchmarks/RetrogradBenchmarks"
        ),
        .executableTarget(
            name: "retrograd",
            dependencies: [
                "Retrograd", "RetrogradNN", "RetrogradOptimizers", "RetrogradData", "DomainAdaptation",
                "RetrogradCatalog", "RetrogradBenchmarks", "RetrogradDistributed",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "RetrogradTests", dependencies: ["Retrograd", "RetrogradCatalog", "CRetrogradKernels", "RetrogradTestSupport"]),
        .testTarget(name: "RetrogradNNTests", dependencies: ["RetrogradNN", "RetrogradTestSupport"]),
        // Gradient fuzzing: random expressions over nearly every differentiable op of
        // Retrograd and RetrogradNN, checked against finite differences to second order.
        .testTarget(name: "RetrogradFuzzTests", dependencies: ["Retrograd", "RetrogradNN", "RetrogradCatalog"]),
        .testTarget(name: "RetrogradOptimizersTests", dependencies: ["RetrogradOptimizers", "RetrogradTestSupport"]),
        // Shared test helpers (closeness of numbers, scratch directories, expected errors);
        // only test targets use it.
        .target(name: "RetrogradTestSupport", dependencies: ["Retrograd"], path: "Tests/RetrogradTestSupport"),
        .testTarget(name: "RetrogradDataTests", dependencies: ["RetrogradData", "RetrogradNN", "RetrogradTestSupport"]),
        .testTarget(name: "DomainAdaptationTests", dependencies: ["DomainAdaptation", "RetrogradTestSupport"]),
        .testTarget(name: "RetrogradBenchmarksTests", dependencies: ["RetrogradBenchmarks", "RetrogradNN", "RetrogradTestSupport"]),
        .testTarget(name: "RetrogradTrainingTests", dependencies: ["RetrogradNN", "RetrogradOptimizers"]),
        // Runs the built `retrograd` executable as a subprocess (it builds it if missing).
        // The program the MPI tests and scripts/bench-mpi start under mpirun: gradients of a
        // fixed problem, agreement checks, a rank that dies, and the W3/W5 step timing.
        .executableTarget(
            name: "retrograd-mpi-probe",
            dependencies: ["RetrogradDistributed", "RetrogradNN", "RetrogradBenchmarks"],
            path: "Tests/RetrogradDistributedProbe"
        ),
        // Runs the probe and `retrograd` under `mpirun -np 2` (skipped without mpirun).
        .testTarget(name: "RetrogradDistributedTests", dependencies: ["RetrogradDistributed", "RetrogradNN", "RetrogradData", "RetrogradTestSupport"]),
        .testTarget(name: "RetrogradCLITests", dependencies: ["DomainAdaptation", "RetrogradTestSupport"]),
    ]
)
