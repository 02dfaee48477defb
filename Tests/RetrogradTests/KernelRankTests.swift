import Foundation
import Testing
import Retrograd

/// Tensors have at most 8 dimensions, what the strided kernels walk: rank 8 works, a shape
/// of rank 9 stops with a message (it once overran the kernels' index arrays).
@Suite struct KernelRankTests {
    /// Reversing the axes of a [2, 2, …, 2] tensor holding 0…255 reverses the bits of each
    /// element's index: the element at flat index i is bitReverse(i).
    @Test func rankEightPermuteSumAndBroadcastWork() {
        let shape = Shape([Int](repeating: 2, count: 8))
        let x = Tensor((0..<256).map(Double.init), shape: shape)
        let reversed = x.permuted(Array((0..<8).reversed())).scalars(as: Double.self)
        func bitReverse(_ i: Int) -> Int { (0..<8).reduce(0) { $0 | ((i >> $1) & 1) << (7 - $1) } }
        #expect(reversed == (0..<256).map { Double(bitReverse($0)) })
        #expect(x.sum().scalar(as: Double.self) == 32640)  // 0 + 1 + … + 255
        // A [2, …, 2, 1] column broadcast over the last axis: each of its 128 values (0…127)
        // is added to two elements.
        let column = Tensor((0..<128).map(Double.init), shape: Shape([Int](repeating: 2, count: 7) + [1]))
        let expected: Double = 32640 + 2 * 8128
        #expect((x + column).sum().scalar(as: Double.self) == expected)
    }

    @Test func rankNineStopsWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor.zeros(shape: Shape([Int](repeating: 2, count: 9)), dtype: .float64)
            _ = x.permuted(Array((0..<9).reversed()))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("9 dimensions") && message.contains("at most 8"), "\(message)")
    }
}
