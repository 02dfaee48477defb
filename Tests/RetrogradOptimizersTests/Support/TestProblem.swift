// The fixed problem the optimizer tests run on, and the table of optimizer
// configurations, each paired with its scalar reference.

import Foundation
import RetrogradOptimizers

/// f(w) = Σᵢ aᵢ·(wᵢ − cᵢ)², w of shape [3] in float64; ∂f/∂wᵢ = 2·aᵢ·(wᵢ − cᵢ).
enum Quadratic {
    static let center: [Double] = [3, -1, 2]
    static let weights: [Double] = [1, 0.5, 2]
    static let start: [Double] = [1, -2, 0.5]

    /// A second, independent problem for a second variable: centre [−2, 4], weights [3, 0.25].
    static let otherCenter: [Double] = [-2, 4]
    static let otherWeights: [Double] = [3, 0.25]
    static let otherStart: [Double] = [0.5, 1]

    /// The loss of `variable` against `center` and `weights`, recorded on the caller's tape.
    static func loss(_ variable: Variable, center: [Double] = center, weights: [Double] = weights) -> Tensor {
        let c = Tensor(center), a = Tensor(weights)
        return ((variable.value - c).square() * a).sum()
    }

    /// The hand-derived gradient 2·a·(w − c).
    static func gradient(_ w: [Double], center: [Double] = center, weights: [Double] = weights) -> [Double] {
        w.indices.map { 2 * weights[$0] * (w[$0] - center[$0]) }
    }

    /// The tape's gradients of the summed losses of `w` (first problem) and, if given,
    /// `u` (second problem), aligned with `[w, u]`.
    static func tapeGradients(_ w: Variable, _ u: Variable? = nil) throws -> [Tensor?] {
        let variables = [w] + (u.map { [$0] } ?? [])
        let tape = GradientTape()
        let loss = tape.record { () -> Tensor in
            var total = Quadratic.loss(w)
            if let u { total = total + Quadratic.loss(u, center: otherCenter, weights: otherWeights) }
            return total
        }
        return try tape.gradient(of: loss, wrt: variables)
    }
}

/// A float64 variable holding `scalars`.
func variable(_ scalars: [Double], name: String) -> Variable { Variable(Tensor(scalars), name: name) }

/// One optimizer configuration: how to make it, its scalar reference, and its constant
/// learning rate.
struct OptimizerCase: Sendable, CustomStringConvertible {
    let description: String
    let learningRate: Double
    let make: @Sendable () -> Optimizer
    let reference: @Sendable () -> any ReferenceOptimizer

    /// Every configuration the tests compare with PyTorch's rules.
    static let all: [OptimizerCase] = [
        OptimizerCase(description: "SGD", learningRate: 0.1,
            make: { SGD(learningRate: 0.1) }, reference: { ReferenceSGD() }),
        OptimizerCase(description: "SGD momentum 0.9", learningRate: 0.1,
            make: { SGD(learningRate: 0.1, momentum: 0.9) }, reference: { ReferenceSGD(momentum: 0.9) }),
        OptimizerCase(description: "SGD momentum 0.8 dampening 0.3", learningRate: 0.1,
            make: { SGD(learningRate: 0.1, momentum: 0.8, dampening: 0.3) },
            reference: { ReferenceSGD(momentum: 0.8, dampening: 0.3) }),
        OptimizerCase(description: "SGD Nesterov 0.9", learningRate: 0.05,
            make: { SGD(learningRate: 0.05, momentum: 0.9, nesterov: true) },
            reference: { ReferenceSGD(momentum: 0.9, nesterov: true) }),
        OptimizerCase(description: "SGD weight decay 0.1", learningRate: 0.1,
            make: { SGD(learningRate: 0.1, weightDecay: 0.1) }, reference: { ReferenceSGD(weightDecay: 0.1) }),
        OptimizerCase(description: "SGD Nesterov + weight decay", learningRate: 0.05,
            make: { SGD(learningRate: 0.05, momentum: 0.7, nesterov: true, weightDecay: 0.2) },
            reference: { ReferenceSGD(momentum: 0.7, nesterov: true, weightDecay: 0.2) }),
        OptimizerCase(description: "Adam defaults, lr 0.1", learningRate: 0.1,
            make: { Adam(learningRate: 0.1) }, reference: { ReferenceAdam() }),
        OptimizerCase(description: "Adam weight decay + AMSGrad", learningRate: 0.1,
            make: { Adam(learningRate: 0.1, beta1: 0.8, beta2: 0.99, weightDecay: 0.05, amsgrad: true) },
            reference: { ReferenceAdam(beta1: 0.8, beta2: 0.99, weightDecay: 0.05, amsgrad: true) }),
        OptimizerCase(description: "AdamW defaults, lr 0.1", learningRate: 0.1,
            make: { AdamW(learningRate: 0.1) }, reference: { ReferenceAdam(weightDecay: 1e-2, decoupled: true) }),
        OptimizerCase(description: "AdamW weight decay 0.3 + AMSGrad", learningRate: 0.1,
            make: { AdamW(learningRate: 0.1, weightDecay: 0.3, amsgrad: true) },
            reference: { ReferenceAdam(weightDecay: 0.3, amsgrad: true, decoupled: true) }),
        OptimizerCase(description: "RMSProp defaults", learningRate: 1e-2,
            make: { RMSProp() }, reference: { ReferenceRMSProp() }),
        OptimizerCase(description: "RMSProp centered + momentum", learningRate: 1e-2,
            make: { RMSProp(momentum: 0.9, centered: true) },
            reference: { ReferenceRMSProp(momentum: 0.9, centered: true) }),
        OptimizerCase(description: "RMSProp alpha 0.9, weight decay, momentum", learningRate: 0.02,
            make: { RMSProp(learningRate: 0.02, alpha: 0.9, weightDecay: 0.1, momentum: 0.5) },
            reference: { ReferenceRMSProp(alpha: 0.9, weightDecay: 0.1, momentum: 0.5) }),
        OptimizerCase(description: "Adagrad, lr 0.1", learningRate: 0.1,
            make: { Adagrad(learningRate: 0.1) }, reference: { ReferenceAdagrad() }),
        OptimizerCase(description: "Adagrad decay, weight decay, initial accumulator", learningRate: 0.1,
            make: { Adagrad(learningRate: 0.1, learningRateDecay: 0.2, weightDecay: 0.1, initialAccumulatorValue: 0.5) },
            reference: { ReferenceAdagrad(learningRateDecay: 0.2, weightDecay: 0.1, initialAccumulatorValue: 0.5) }),
    ]
}
