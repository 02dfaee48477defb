import Testing
@testable import Retrograd
import RetrogradTestSupport

/// Literals make float32 tensors, as PyTorch's `torch.tensor([1, 2])` and TensorFlow's
/// `tf.constant([1., 2.])` do; float64 and the other types are asked for by name.
@Suite struct DTypeDefaultTests {
    @Test func literalsAreFloat32() {
        #expect(Tensor([1, 2, 3]).dtype == .float32)
        #expect(Tensor([0.5]).dtype == .float32)
        #expect(Tensor(3).dtype == .float32 && Tensor(3).shape == [])
        #expect(Tensor(-0.25).scalar(as: Float.self) == -0.25)
        #expect(Tensor([1, 2, 3, 4], shape: [2, 2]).dtype == .float32)
        // A literal that float32 cannot hold exactly is rounded to the nearest float32.
        #expect(Tensor([0.1]).scalars(as: Float.self) == [Float(0.1)])
    }

    @Test func typedArraysAndScalarsKeepTheirType() {
        let doubles: [Double] = [0.5, 1.5]
        #expect(Tensor(doubles).dtype == .float64)
        #expect(Tensor([1, 2] as [Double]).dtype == .float64)
        #expect(Tensor(Double(2)).dtype == .float64)
        #expect(Tensor([1, 2] as [Int32]).dtype == .int32 && Tensor(Int32(4)).dtype == .int32)
        #expect(Tensor([true, false]).dtype == .bool && Tensor(true).dtype == .bool)
    }

    @Test func aTypeCanBeAskedForByName() {
        let wide = Tensor([1, 2, 3], dtype: .float64)
        #expect(wide.dtype == .float64 && values(wide) == [1, 2, 3])
        #expect(Tensor([0.1], dtype: .float64).scalars(as: Double.self) == [0.1])
        #expect(Tensor([0.1], dtype: .float32).scalars(as: Float.self) == [Float(0.1)])
        let labels = Tensor([0, 2, 1, 2], shape: [2, 2], dtype: .int32)
        #expect(labels.dtype == .int32 && labels.shape == [2, 2] && labels.scalars(as: Int32.self) == [0, 2, 1, 2])
        #expect(Tensor([1, 0], dtype: .bool).scalars(as: Bool.self) == [true, false])
    }

    @Test func literalsMixWithTheDefaultTypesOfTheOtherConstructors() {
        // zeros, ones and random tensors were float32 already; literals now agree with them.
        let sum = Tensor([1, 2]) + Tensor.ones(shape: [2])
        #expect(sum.dtype == .float32 && values(sum) == [2, 3])
    }
}
