import Foundation
import Synchronization
import Testing
@testable import Retrograd

/// Large elementwise work (split across threads) and the single-precision exp kernel,
/// against double-precision references computed element by element.
@Suite struct LargeKernelTests {
    /// 300,001 values: above the threading threshold, not a multiple of the chunk size.
    static let count = 300_001

    static func sweep(from low: Float, to high: Float) -> [Float] {
        (0..<count).map { low + (high - low) * Float($0) / Float(count - 1) }
    }

    /// The distance between `value` and the next float32 above it.
    static func ulp(_ value: Double) -> Double {
        let f = Float(value)
        return f == 0 || abs(value) < Double(Float.leastNormalMagnitude) ? Double(Float.leastNonzeroMagnitude) : Double(f.ulp)
    }

    @Test func expIsWithinTwoUlpAcrossTheWholeRange() {
        let x = Self.sweep(from: -103.9, to: 88.7)
        let y = Tensor(x).exp().scalars(as: Float.self)
        var worst = 0.0
        for (input, output) in zip(x, y) {
            let exact = Foundation.exp(Double(input))
            worst = max(worst, abs(Double(output) - exact) / Self.ulp(exact))
        }
        #expect(worst <= 2, "worst error \(worst) ulp")
    }

    @Test func expEdgeCases() {
        let y = Tensor([0, 1, 89, -105, .infinity, -.infinity, .nan, -100] as [Float]).exp().scalars(as: Float.self)
        #expect(y[0] == 1)
        #expect(abs(Double(y[1]) - M_E) <= Double(Float(M_E).ulp))
        #expect(y[2] == .infinity && y[3] == 0 && y[4] == .infinity && y[5] == 0 && y[6].isNaN)
        // e^-100 ≈ 3.72e-44 is subnormal in float32: gradual underflow, not a flush to 0.
        #expect(y[7] > 0 && abs(Double(y[7]) - Foundation.exp(-100.0)) <= Double(Float.leastNonzeroMagnitude))
    }

    @Test func tanhIsWithinTwoUlpAcrossTheRange() {
        let x = Self.sweep(from: -12, to: 12)
        let y = Tensor(x).tanh().scalars(as: Float.self)
        var worst = 0.0
        for (input, output) in zip(x, y) {
            let exact = Foundation.tanh(Double(input))
            worst = max(worst, abs(Double(output) - exact) / Self.ulp(exact))
        }
        #expect(worst <= 2, "worst error \(worst) ulp")
        let edges = Tensor([0, -0.0, 1e-30, 100, -100, .infinity, .nan] as [Float]).tanh().scalars(as: Float.self)
        #expect(edges[0] == 0 && edges[1] == 0 && edges[1].sign == .minus && edges[2] == 1e-30)
        #expect(edges[3] == 1 && edges[4] == -1 && edges[5] == 1 && edges[6].isNaN)
    }

    @Test func largeBinaryOpsMatchElementByElement() {
        let a = Self.sweep(from: -3, to: 3), b = Self.sweep(from: 5, to: -1)
        let sum = (Tensor(a) + Tensor(b)).scalars(as: Float.self)
        let scaled = (Tensor(a) * Tensor(Float(2.5))).scalars(as: Float.self)
        let shifted = (Tensor(Float(1)) - Tensor(b)).scalars(as: Float.self)
        #expect(sum == zip(a, b).map { $0 + $1 })
        #expect(scaled == a.map { $0 * 2.5 })
        #expect(shifted == b.map { 1 - $0 })
    }

    /// select with one branch a scalar (ReLU and its gradient), on the left and on the
    /// right, in both float types, against the choice made element by element.
    @Test(arguments: [DType.float32, .float64])
    func selectWithAScalarBranch(dtype: DType) {
        let x: [Double] = (0..<1001).map { (index: Int) -> Double in
            let step = Double(index % 7), half = Double(index % 2)
            return step - 3 + half / 2
        }
        let tensor = Tensor(x, shape: [7, 143]).cast(to: dtype)
        let positive = tensor .> 0
        let left = select(positive, tensor, Tensor(scalar: -9, dtype: dtype))
        let right = select(positive, Tensor(scalar: -9, dtype: dtype), tensor)
        #expect(left.scalars(as: Double.self) == x.map { $0 > 0 ? $0 : -9 })
        #expect(right.scalars(as: Double.self) == x.map { $0 > 0 ? -9 : $0 })
        #expect(tensor.relu().scalars(as: Double.self) == x.map { Swift.max($0, 0) })
    }

    @Test func largeUnaryOpsMatchElementByElement() {
        let a = Self.sweep(from: 0.5, to: 9)
        #expect(Tensor(a).sqrt().scalars(as: Float.self) == a.map { $0.squareRoot() })
        #expect((-Tensor(a)).scalars(as: Float.self) == a.map { -$0 })
    }
}

/// The work splitter covers every index exactly once, in chunks on 64-element boundaries.
@Suite struct ParallelTests {
    @Test(arguments: [0, 1, 63, 1000, Parallel.minimumCount - 1, Parallel.minimumCount, 300_001])
    func chunksCoverEveryIndexOnce(count: Int) {
        let hits = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: Swift.max(count, 1))
        hits.initialize(repeating: 0)
        defer { hits.deallocate() }
        let chunks = Mutex<[(Int, Int)]>([])
        Parallel.forEachChunk(of: count) { start, length in
            for index in start..<(start + length) { hits[index] += 1 }
            chunks.withLock { $0.append((start, length)) }
        }
        #expect(hits.prefix(count).allSatisfy { $0 == 1 })
        let seen = chunks.withLock { $0 }
        #expect(seen.allSatisfy { $0.0 % 64 == 0 })
        #expect(seen.count == (count >= Parallel.minimumCount ? Parallel.chunkCount : 1))
    }
}
