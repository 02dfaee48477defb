import Foundation
import RetrogradBenchmarks
import RetrogradNN
import RetrogradTestSupport
import Testing

// Plain-Double reimplementations the workload tests compare against.

/// A matrix as rows of numbers.
typealias Matrix = [[Double]]

/// The rows of a 2-d tensor.
func rows(_ tensor: Tensor) -> Matrix {
    let values = tensor.scalars(as: Double.self)
    let columns = tensor.shape[1]
    return (0..<tensor.shape[0]).map { Array(values[($0 * columns)..<(($0 + 1) * columns)]) }
}

/// A dense layer's weight (`[in, out]`) and bias, as plain numbers.
struct Affine {
    var weight: Matrix
    var bias: [Double]

    init(_ layer: Dense) {
        weight = rows(layer.weight.value)
        bias = layer.bias!.value.scalars(as: Double.self)
    }

    /// x · weight + bias for one row x.
    func callAsFunction(_ x: [Double]) -> [Double] {
        (0..<bias.count).map { j in bias[j] + x.indices.reduce(0) { $0 + x[$1] * weight[$1][j] } }
    }

    /// The parameters in the order of the layer's variables (weight row-major, then bias).
    var parameters: [Double] {
        get { weight.flatMap { $0 } + bias }
        set {
            let columns = bias.count
            weight = (0..<weight.count).map { Array(newValue[($0 * columns)..<(($0 + 1) * columns)]) }
            bias = Array(newValue.suffix(columns))
        }
    }
}

/// −log softmax(logits)[label].
func crossEntropy(_ logits: [Double], label: Int) -> Double {
    let top = logits.max()!
    return top + log(logits.reduce(0) { $0 + exp($1 - top) }) - logits[label]
}

/// log(1 + eˣ) − x·y, the logistic loss of logit x against label y.
func logisticLoss(_ x: Double, label y: Double) -> Double {
    max(x, 0) + log1p(exp(-abs(x))) - x * y
}

/// Central finite differences of `f` at `point`, step `h`.
func finiteDifferences(_ f: ([Double]) -> Double, at point: [Double], h: Double = 1e-6) -> [Double] {
    point.indices.map { i in
        var plus = point, minus = point
        plus[i] += h
        minus[i] -= h
        return (f(plus) - f(minus)) / (2 * h)
    }
}

/// Checks that `training.step()` is one SGD step from the current weights whose first
/// update (momentum buffers still empty) is θ − 0.01·g, g from `lossAndGradients()`.
func expectFirstStepIsSGD(_ training: some TrainingStep) throws {
    let before = training.variables.map { $0.value.scalars(as: Double.self) }
    let (_, gradients) = try training.lossAndGradients()
    try training.step()
    for (index, variable) in training.variables.enumerated() {
        let expected = zip(before[index], gradients[index]!.scalars(as: Double.self)).map { $0 - 0.01 * $1 }
        #expect(zip(variable.value.scalars(as: Double.self), expected).allSatisfy { isClose($0, $1, absolute: 1e-12) })
    }
}
