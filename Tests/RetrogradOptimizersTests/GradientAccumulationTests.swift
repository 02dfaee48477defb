// Gradient accumulation against one big batch. The problem is least squares,
// f(W, b) = mean over examples of (x·W + b − y)², whose gradient is written out by hand:
// ∂f/∂W = (2/n)·Σ rᵢ·xᵢ, ∂f/∂b = (2/n)·Σ rᵢ, rᵢ = xᵢ·W + b − yᵢ.

import Testing
import RetrogradOptimizers
import RetrogradTestSupport

private enum LeastSquares {
    static let inputs: [[Double]] = [[1, 2], [0.5, -1], [-2, 0.25], [3, 1], [0, -0.5], [1.5, 1.5]]
    static let targets: [Double] = [1, -0.5, 2, 0.25, -1, 3]
    static let weight: [Double] = [0.3, -0.7]
    static let bias = 0.2

    /// The hand-derived gradient of the mean (or summed) loss over `examples`: [∂W₀, ∂W₁, ∂b].
    static func gradient(over examples: Range<Int>, mean: Bool = true) -> [Double] {
        var result: [Double] = [0, 0, 0]
        for i in examples {
            let residual = inputs[i][0] * weight[0] + inputs[i][1] * weight[1] + bias - targets[i]
            result[0] += 2 * residual * inputs[i][0]
            result[1] += 2 * residual * inputs[i][1]
            result[2] += 2 * residual
        }
        return mean ? result.map { $0 / Double(examples.count) } : result
    }

    static func variables() -> [Variable] {
        [Variable(Tensor(weight, shape: [2, 1]), name: "W"), Variable(Tensor(bias), name: "b")]
    }

    /// The tape's gradients of the loss over `examples`, with respect to `variables`.
    static func tapeGradients(_ variables: [Variable], over examples: Range<Int>, mean: Bool = true) throws -> [Tensor?] {
        let x = Tensor(examples.flatMap { inputs[$0] }, shape: [examples.count, 2])
        let y = Tensor(examples.map { targets[$0] }, shape: [examples.count, 1])
        let tape = GradientTape()
        let loss = tape.record { () -> Tensor in
            let squares = (x.matmul(variables[0].value) + variables[1].value - y).square()
            return mean ? squares.mean() : squares.sum()
        }
        return try tape.gradient(of: loss, wrt: variables)
    }
}

/// The gradient list flattened to [∂W₀, ∂W₁, ∂b].
private func flat(_ gradients: [Tensor?]) -> [Double] { gradients.flatMap(values) }

@Suite struct GradientAccumulationTests {
    @Test func theMeanOverEqualMicroBatchesIsTheBigBatchGradient() throws {
        let variables = LeastSquares.variables()
        var accumulated = AccumulatedGradients(for: variables)
        for part in [0..<2, 2..<4, 4..<6] {
            accumulated.add(try LeastSquares.tapeGradients(variables, over: part))
        }
        #expect(accumulated.count == 3 && accumulated.totalWeight == 3)
        let expected = LeastSquares.gradient(over: 0..<6)
        #expect(allClose(flat(accumulated.gradients), expected, tolerance: 1e-14))
        #expect(allClose(flat(try LeastSquares.tapeGradients(variables, over: 0..<6)), expected, tolerance: 1e-14))
    }

    @Test func weightsBySizeMakeUnequalMicroBatchesAddUp() throws {
        let variables = LeastSquares.variables()
        var accumulated = AccumulatedGradients(for: variables, reduction: .mean)
        for part in [0..<1, 1..<3, 3..<6] {
            accumulated.add(try LeastSquares.tapeGradients(variables, over: part), weight: Double(part.count))
        }
        #expect(allClose(flat(accumulated.gradients), LeastSquares.gradient(over: 0..<6), tolerance: 1e-14))
    }

    @Test func theSumOfSummedLossesIsTheBigBatchSum() throws {
        let variables = LeastSquares.variables()
        var accumulated = AccumulatedGradients(for: variables, reduction: .sum)
        for part in [0..<4, 4..<6] {
            accumulated.add(try LeastSquares.tapeGradients(variables, over: part, mean: false))
        }
        #expect(allClose(flat(accumulated.gradients), LeastSquares.gradient(over: 0..<6, mean: false), tolerance: 1e-13))
    }

    @Test func oneStepFromAccumulatedGradientsIsOneBigBatchStep() throws {
        let variables = LeastSquares.variables()
        var accumulated = AccumulatedGradients(for: variables)
        for part in [0..<3, 3..<6] {
            accumulated.add(try LeastSquares.tapeGradients(variables, over: part))
        }
        SGD(learningRate: 0.1).apply(gradients: accumulated.gradients, to: variables)
        let g = LeastSquares.gradient(over: 0..<6)
        let expected = [LeastSquares.weight[0] - 0.1 * g[0], LeastSquares.weight[1] - 0.1 * g[1], LeastSquares.bias - 0.1 * g[2]]
        #expect(allClose(variables.flatMap { values($0.value) }, expected, tolerance: 1e-14))
    }

    @Test func aNilGradientCountsAsZeroAndAllNilStaysNil() throws {
        // `scale` enters only the second micro-batch's loss, s·b² with s = 2, b = 3: there
        // its gradient is b² = 9, so the mean over two micro-batches is 9/2 and b gets
        // (0 + 2·s·b)/2 = 6. `idle` enters neither.
        let b = Variable(Tensor(3.0 as Double), name: "b"), scale = Variable(Tensor(2.0 as Double), name: "scale")
        let idle = Variable(Tensor([1, 1] as [Double]), name: "idle")
        let variables = [b, scale, idle]
        var accumulated = AccumulatedGradients(for: variables)
        accumulated.add([nil, nil, nil])
        let tape = GradientTape()
        let loss = tape.record { scale.value * b.value * b.value }
        accumulated.add(try tape.gradient(of: loss, wrt: variables))
        let gradients = accumulated.gradients
        expectClose(gradients[0], [6])
        expectClose(gradients[1], [4.5])
        #expect(gradients[2] == nil)
        // The optimizer skips the variable that has none, as it skips any nil gradient.
        SGD(learningRate: 1).apply(gradients: gradients, to: variables)
        #expect(values(idle.value) == [1, 1])
        expectClose(b.value, [-3])
    }

    @Test func resetStartsAfresh() throws {
        let variables = LeastSquares.variables()
        var accumulated = AccumulatedGradients(for: variables, reduction: .sum)
        accumulated.add(try LeastSquares.tapeGradients(variables, over: 0..<6))
        accumulated.reset()
        #expect(accumulated.count == 0 && accumulated.totalWeight == 0)
        #expect(accumulated.gradients.allSatisfy { $0 == nil })
        accumulated.add(try LeastSquares.tapeGradients(variables, over: 2..<3), weight: 0.5)
        let expected = LeastSquares.gradient(over: 2..<3).map { $0 * 0.5 }
        #expect(allClose(flat(accumulated.gradients), expected, tolerance: 1e-14))
    }

    @Test func addingIsNotRecorded() throws {
        let g = Tensor([1, 2] as [Double])
        let w = Variable(Tensor([0, 0] as [Double]), name: "w")
        let tape = GradientTape()
        let total = try tape.record { () throws -> Tensor in
            tape.watch(g)
            var accumulated = AccumulatedGradients(for: [w], reduction: .sum)
            accumulated.add([g * 2])
            return try #require(accumulated.gradients[0]).sum()
        }
        expectClose(total, [6])
        #expect(try tape.gradient(of: total, wrt: g) == nil)
    }
}
