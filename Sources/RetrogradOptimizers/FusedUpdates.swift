// The update rules of SGD and Adam/AdamW as single passes over the elements: one read of
// θ, g and the slots, one write of each. The slot tensors are updated in place when the
// optimizer holds the only reference to them (copy-on-write otherwise), and θ is written
// to a new tensor, since the tape that computed the gradient may still hold the old value.
//
// The arithmetic is the same, in the same order and element type, as writing the rule
// with tensor ops (`m * β₁ + d * (1 − β₁)`, …); constants are rounded to the element type
// first, as a tensor op with a Swift number does.

/// SGD's rule (see ``SGD``) for one variable: updates the momentum buffer in `slots` and
/// returns the new value.
func sgdUpdate(
    theta: Tensor, gradient: Tensor, step: Int, slots: inout [Tensor],
    learningRate: Double, momentum: Double, dampening: Double, nesterov: Bool, weightDecay: Double
) -> Tensor {
    switch theta.dtype {
    case .float32:
        return sgdKernel(Float.self, theta, gradient, step, &slots, learningRate, momentum, dampening, nesterov, weightDecay)
    default:
        return sgdKernel(Double.self, theta, gradient, step, &slots, learningRate, momentum, dampening, nesterov, weightDecay)
    }
}

private func sgdKernel<T: BinaryFloatingPoint & TensorScalar>(
    _: T.Type, _ theta: Tensor, _ gradient: Tensor, _ step: Int, _ slots: inout [Tensor],
    _ learningRate: Double, _ momentum: Double, _ dampening: Double, _ nesterov: Bool, _ weightDecay: Double
) -> Tensor {
    let (lr, mu, keep, lambda) = (T(learningRate), T(momentum), T(1 - dampening), T(weightDecay))
    let shape = theta.shape
    let decays = weightDecay != 0, usesMomentum = momentum != 0, first = step == 1
    // Taken out of the array, so that the buffer's storage is uniquely referenced here.
    var buffer = theta
    if usesMomentum { swap(&buffer, &slots[0]) }
    let updated = theta.withUnsafeScalars(as: T.self) { theta in
        gradient.withUnsafeScalars(as: T.self) { gradient in
            Tensor(shape: shape, of: T.self) { out in
                guard usesMomentum else {
                    for i in 0..<theta.count {
                        let d = decays ? gradient[i] + theta[i] * lambda : gradient[i]
                        out[i] = theta[i] - d * lr
                    }
                    return
                }
                buffer.withUnsafeMutableScalars(as: T.self) { b in
                    for i in 0..<theta.count {
                        var d = decays ? gradient[i] + theta[i] * lambda : gradient[i]
                        let next = first ? d : b[i] * mu + d * keep
                        b[i] = next
                        d = nesterov ? d + next * mu : next
                        out[i] = theta[i] - d * lr
                    }
                }
            }
        }
    }
    if usesMomentum { swap(&buffer, &slots[0]) }
    return updated
}

/// The constants of one Adam step, shared by ``Adam`` and ``AdamW``.
struct AdamStep {
    var beta1: Double
    var beta2: Double
    var epsilon: Double
    /// lr / (1 − β₁ᵗ).
    var stepSize: Double
    /// √(1 − β₂ᵗ).
    var biasCorrection2Root: Double
    /// λ of L2 weight decay added to the gradient (``Adam``), or 0.
    var coupledDecay: Double
    /// The factor θ is multiplied by before the step (``AdamW``: 1 − lr·λ), or 1.
    var decoupledFactor: Double
}

/// Adam's rule (see ``Adam``) for one variable: updates the moments in `slots` (with a
/// third slot, the AMSGrad maximum) and returns the new value.
func adamUpdate(theta: Tensor, gradient: Tensor, slots: inout [Tensor], _ constants: AdamStep) -> Tensor {
    switch theta.dtype {
    case .float32: return adamKernel(Float.self, theta, gradient, &slots, constants)
    default: return adamKernel(Double.self, theta, gradient, &slots, constants)
    }
}

private func adamKernel<T: BinaryFloatingPoint & TensorScalar>(
    _: T.Type, _ theta: Tensor, _ gradient: Tensor, _ slots: inout [Tensor], _ c: AdamStep
) -> Tensor {
    let (b1, keep1, b2, keep2) = (T(c.beta1), T(1 - c.beta1), T(c.beta2), T(1 - c.beta2))
    let (epsilon, stepSize, root2) = (T(c.epsilon), T(c.stepSize), T(c.biasCorrection2Root))
    let (lambda, factor) = (T(c.coupledDecay), T(c.decoupledFactor))
    let couples = c.coupledDecay != 0, decouples = c.decoupledFactor != 1
    let shape = theta.shape
    // The moments are taken out of the array, so that their storage is uniquely referenced
    // here and updated in place.
    var first = slots[0], second = slots[1]
    var maximum: Tensor? = slots.count > 2 ? slots[2] : nil
    slots = []
    let updated = theta.withUnsafeScalars(as: T.self) { theta in
        gradient.withUnsafeScalars(as: T.self) { gradient in
            Tensor(shape: shape, of: T.self) { out in
                func run(_ m: UnsafeMutableBufferPointer<T>, _ v: UnsafeMutableBufferPointer<T>, _ u: UnsafeMutableBufferPointer<T>?) {
                    for i in 0..<theta.count {
                        let value = decouples ? theta[i] * factor : theta[i]
                        let d = couples ? gradient[i] + value * lambda : gradient[i]
                        let mi = m[i] * b1 + d * keep1
                        let vi = v[i] * b2 + (d * d) * keep2
                        m[i] = mi
                        v[i] = vi
                        var s = vi
                        if let u {
                            s = Swift.max(u[i], vi)
                            u[i] = s
                        }
                        out[i] = value - (mi / (s.squareRoot() / root2 + epsilon)) * stepSize
                    }
                }
                first.withUnsafeMutableScalars(as: T.self) { m in
                    second.withUnsafeMutableScalars(as: T.self) { v in
                        if maximum != nil {
                            maximum!.withUnsafeMutableScalars(as: T.self) { u in run(m, v, u) }
                        } else {
                            run(m, v, nil)
                        }
                    }
                }
            }
        }
    }
    slots = [first, second] + (maximum.map { [$0] } ?? [])
    return updated
}
