// The fused RMSProp, Adagrad and SGD passes give the same bits as their rules written
// with tensor ops (the form these optimizers used before they were fused; a quotient d / r
// was then computed as d · (1/r), which the fused passes keep), on random
// float32 and float64 data, for several steps and every option.

import Foundation
import Testing
import RetrogradOptimizers

/// Whether two tensors of one shape and element type hold the same bits.
private func sameBits(_ a: Tensor, _ b: Tensor) -> Bool {
    guard a.shape == b.shape, a.dtype == b.dtype else { return false }
    func compare<T: TensorScalar>(_: T.Type) -> Bool {
        a.withUnsafeScalars(as: T.self) { x in
            b.withUnsafeScalars(as: T.self) { y in
                x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count * MemoryLayout<T>.size) == 0
            }
        }
    }
    return a.dtype == .float32 ? compare(Float.self) : compare(Double.self)
}

/// Random data for one run: a start value and one gradient per step, with magnitudes
/// spread over several decades and some exact zeros.
private struct RandomProblem {
    let start: Tensor
    let gradients: [Tensor]

    init(count: Int, steps: Int, dtype: DType, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let shape: Shape = [count]
        start = Tensor.randomNormal(shape: shape, dtype: dtype, using: &generator)
        gradients = (0..<steps).map { _ in
            let normal = Tensor.randomNormal(shape: shape, dtype: dtype, using: &generator)
            let scale = Tensor.randomUniform(shape: shape, lowerBound: -6, upperBound: 3, dtype: dtype, using: &generator).exp()
            let kept = (Tensor.randomUniform(shape: shape, dtype: dtype, using: &generator) .> 0.1).cast(to: dtype)
            return normal * scale * kept
        }
    }
}

/// Problems of the sizes tried (below a vector width, odd tails, and one split across
/// threads), made once per element type and shared by every case.
private let problems: [DType: [RandomProblem]] = Dictionary(
    uniqueKeysWithValues: [DType.float32, .float64].map { dtype in
        (dtype, [1, 7, 67, 1000, 140_001].enumerated().map { index, count in
            RandomProblem(count: count, steps: 6, dtype: dtype, seed: 101 &+ UInt64(index))
        })
    })

/// Runs `optimizer` on a variable and `reference` on a plain tensor with the same data,
/// the reference's slots starting from `initialValues`, and expects the same bits for
/// the value and every slot (state keys `slots`) after each step.
private func expectSameBits(
    _ optimizer: Optimizer, slots: [String], initialValues: [Double]? = nil, dtype: DType,
    reference: (_ value: inout Tensor, _ gradient: Tensor, _ step: Int, _ slots: inout [Tensor]) -> Void
) {
    for problem in problems[dtype]! {
        let count = problem.start.elementCount
        let w = Variable(problem.start, name: "w")
        var value = problem.start
        var referenceSlots = (initialValues ?? slots.map { _ in 0 }).map { Tensor.full($0, shape: [count], dtype: dtype) }
        for (step, gradient) in problem.gradients.enumerated() {
            optimizer.apply(gradients: [gradient], to: [w])
            withoutRecording { reference(&value, gradient, step + 1, &referenceSlots) }
            #expect(sameBits(w.value, value), "\(dtype) [\(count)] step \(step + 1): the value differs")
            let state = optimizer.stateTensors(for: [w])
            for (name, slot) in zip(slots, referenceSlots) {
                #expect(sameBits(state[name]!, slot), "\(dtype) [\(count)] step \(step + 1): \(name) differs")
            }
        }
    }
}

@Suite struct FusedUpdateBitIdentityTests {
    static let dtypes: [DType] = [.float32, .float64]

    /// Every combination of weight decay, momentum and centering, with α = 0.9.
    @Test(arguments: dtypes, [(0.0, 0.0, false), (0.1, 0.0, false), (0.0, 0.9, false), (0.0, 0.0, true),
                              (0.1, 0.9, false), (0.1, 0.0, true), (0.0, 0.9, true), (0.1, 0.9, true)])
    func rmsPropMatchesItsTensorOpForm(dtype: DType, options: (weightDecay: Double, momentum: Double, centered: Bool)) {
        let (lr, alpha, epsilon) = (0.01, 0.9, 1e-8)
        let (lambda, mu, centered) = options
        let optimizer = RMSProp(learningRate: lr, alpha: alpha, epsilon: epsilon, weightDecay: lambda, momentum: mu, centered: centered)
        let slots = ["w/squareAverage"] + (centered ? ["w/gradientAverage"] : []) + (mu > 0 ? ["w/momentum"] : [])
        expectSameBits(optimizer, slots: slots, dtype: dtype) { theta, gradient, _, slots in
            let d = lambda != 0 ? gradient + theta * lambda : gradient
            let square = slots[0] * alpha + (d * d) * (1 - alpha)
            slots[0] = square
            var root: Tensor
            if centered {
                let average = slots[1] * alpha + d * (1 - alpha)
                slots[1] = average
                root = (square - average * average).sqrt()
            } else {
                root = square.sqrt()
            }
            root = root + epsilon
            guard mu > 0 else {
                theta = theta - (d * root.reciprocal()) * lr
                return
            }
            let buffer = slots[slots.count - 1] * mu + d * root.reciprocal()
            slots[slots.count - 1] = buffer
            theta = theta - buffer * lr
        }
    }

    /// Learning-rate decay, weight decay and the initial accumulator, each on and off.
    @Test(arguments: dtypes, [(0.0, 0.0, 0.0), (0.2, 0.0, 0.0), (0.0, 0.1, 0.0), (0.0, 0.0, 0.5), (0.2, 0.1, 0.5)])
    func adagradMatchesItsTensorOpForm(dtype: DType, options: (decay: Double, weightDecay: Double, initial: Double)) {
        let (lr, epsilon) = (0.1, 1e-10)
        let (kappa, lambda, initial) = options
        let optimizer = Adagrad(
            learningRate: lr, learningRateDecay: kappa, weightDecay: lambda, initialAccumulatorValue: initial, epsilon: epsilon)
        expectSameBits(optimizer, slots: ["w/accumulator"], initialValues: [initial], dtype: dtype) { theta, gradient, step, slots in
            let d = lambda != 0 ? gradient + theta * lambda : gradient
            let rate = lr / (1 + Double(step - 1) * kappa)
            let sum = slots[0] + d * d
            slots[0] = sum
            theta = theta - (d * (sum.sqrt() + epsilon).reciprocal()) * rate
        }
    }

    /// Momentum, dampening, Nesterov and weight decay, each on and off.
    @Test(arguments: dtypes, [(0.0, 0.0, false, 0.0), (0.9, 0.0, false, 0.0), (0.8, 0.3, false, 0.1),
                              (0.9, 0.0, true, 0.0), (0.7, 0.0, true, 0.2), (0.0, 0.0, false, 0.1)])
    func sgdMatchesItsTensorOpForm(
        dtype: DType, options: (momentum: Double, dampening: Double, nesterov: Bool, weightDecay: Double)
    ) {
        let lr = 0.05
        let (mu, tau, nesterov, lambda) = options
        let optimizer = SGD(learningRate: lr, momentum: mu, dampening: tau, nesterov: nesterov, weightDecay: lambda)
        expectSameBits(optimizer, slots: mu != 0 ? ["w/momentum"] : [], dtype: dtype) { theta, gradient, step, slots in
            var d = lambda != 0 ? gradient + theta * lambda : gradient
            if mu != 0 {
                let buffer = step == 1 ? d : slots[0] * mu + d * (1 - tau)
                slots[0] = buffer
                d = nesterov ? d + buffer * mu : buffer
            }
            theta = theta - d * lr
        }
    }
}
