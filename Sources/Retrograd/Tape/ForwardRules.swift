// Every forward (tangent) rule of Retrograd, one case per primitive: the tangent of an op's
// output given the tangents of its inputs, a Jacobian-vector product. `DerivativeRules.swift`
// holds the transposes (vector-Jacobian products); the two are checked against each other,
// ⟨J·v, u⟩ = ⟨v, Jᵀ·u⟩, over the whole op catalog (`checkForwardMode`).
//
// Rules read the values the primitive saved for its reverse rule and are written in
// Retrograd's own ops, never kernels, so tapes (and outer accumulators) record the tangent
// computation and can differentiate it again: a tape around an accumulator takes gradients
// of tangents, an accumulator around a tape takes tangents of gradients (Hessian-vector
// products). A missing tangent is zero. Broadcast inputs arrive expanded to the output's
// shape, as their gradients do, and `outputShape` is the shape of the result. The
// subgradient conventions are the reverse rules' (see the table in DerivativeRules.swift).

/// The forward rules (a namespace: inside `Primitive`, its case names would hide the ops
/// `sum`, `select` and `concat`).
enum ForwardRules {
    /// The tangent of the output of `op`, given `tangents` (one per input, in the op's
    /// argument order, nil for zero; at least one is not nil) and the output's shape.
    ///
    /// Throws ``ForwardModeError/customGradient(op:)`` for a custom gradient: it has a
    /// pullback and no forward rule.
    static func tangent(of op: Primitive, _ tangents: [Tensor?], outputShape: Shape) throws(ForwardModeError) -> Tensor? {
        let t = tangents[0]
        switch op {
        case .add:
            return adding(t, tangents[1])
        case .sub:
            return adding(t, tangents[1].map { -$0 })
        case let .mul(a, b):
            return adding(t.map { $0 * b }, tangents[1].map { a * $0 })
        case let .div(b, y):  // d(a/b) = da/b − (a/b)·db/b
            return adding(t.map { $0 / b }, tangents[1].map { -($0 * y) / b })
        case .neg:
            return t.map { -$0 }
        case let .reciprocal(y):
            return t.map { -($0 * y * y) }
        case let .exp(y):
            return t.map { $0 * y }
        case let .log(x):
            return t.map { $0 / x }
        case let .sin(x):
            return t.map { $0 * x.cos() }
        case let .cos(x):
            return t.map { -($0 * x.sin()) }
        case let .sqrt(y):
            return t.map { $0 / (y * 2) }
        case let .tanh(y):
            return t.map { $0 * (1 - y * y) }
        case let .sigmoid(y):
            return t.map { $0 * y * (1 - y) }
        case let .erf(x):  // 2/√π · e^(−x²)
            return t.map { $0 * (-(x * x)).exp() * (2 / Double.pi.squareRoot()) }
        case let .softplus(x):
            return t.map { $0 * x.sigmoid() }
        case let .logSoftmax(y, axis):  // t − Σ softmax·t along the axis
            return t.map { $0 - (y.exp() * $0).sum(axes: [axis], keepingDimensions: true) }
        case let .softmaxCrossEntropy(logits, labels):  // Σ over each row of (softmax − one-hot)·t
            return t.map { t in
                let oneHot = Tensor.oneHot(labels, classes: logits.shape[1], dtype: logits.dtype)
                return ((logits.logSoftmax(axis: 1).exp() - oneHot) * t).sum(axes: [1])
            }
        case let .pow(base, exponent, y):
            return adding(
                t.map { $0 * exponent * base.pow(exponent - 1) },
                tangents[1].map { t in
                    let positive = base .> 0
                    let safeLog = select(positive, select(positive, base, 1).log(), 0)
                    return t * y * safeLog
                })
        case let .maximum(a, b):  // ties take a's tangent, as they take all of the gradient
            return picking(a .>= b, t, tangents[1])
        case let .select(condition):
            return picking(condition, t, tangents[1])
        case let .sum(_, axes):
            return t.map { $0.sum(axes: axes).shaped(outputShape) }
        case let .max(x, keptY, axes):  // the mean of the tied elements' tangents
            return t.map { t in
                let ties = (x .== keptY).cast(to: t.dtype)
                return ((t * ties).sum(axes: axes, keepingDimensions: true) / ties.sum(axes: axes, keepingDimensions: true))
                    .shaped(outputShape)
            }
        case .reshape:
            return t.map { $0.reshaped(to: outputShape) }
        case .expand:
            return t.map { $0.expanded(to: outputShape) }
        case let .permute(permutation):
            return t.map { $0.permuted(permutation) }
        case let .slice(lowerBounds, _):
            return t.map { $0.slice(lowerBounds: lowerBounds, sizes: outputShape.dimensions) }
        case let .pad(lowerBounds, inputShape):
            let upper = (0..<inputShape.rank).map { outputShape[$0] - inputShape[$0] - lowerBounds[$0] }
            return t.map { $0.padded(before: lowerBounds, after: upper) }
        case let .concat(axis, sizes):
            guard let dtype = tangents.lazy.compactMap({ $0?.dtype }).first else { return nil }
            let parts = zip(tangents, sizes).map { tangent, size -> Tensor in
                if let tangent { return tangent }
                var shape = outputShape
                shape[axis] = size
                return Tensor.zeros(shape: shape, dtype: dtype)
            }
            return concat(parts, axis: axis)
        case let .matmul(a, b, transposeA, transposeB):
            return adding(
                t.map { $0.matmul(b, transposingA: transposeA, transposingB: transposeB) },
                tangents[1].map { a.matmul($0, transposingA: transposeA, transposingB: transposeB) })
        case let .linear(x, weight):
            let products = adding(t.map { $0.matmul(weight) }, tangents[1].map { x.matmul($0) })
            return adding(products, tangents[2].map { $0.expanded(to: outputShape) })
        case let .cast(from):  // between the two float types only
            return t.map { $0.cast(to: from == .float32 ? .float64 : .float32) }
        case let .gather(indices, axis, _):
            return t.map { $0.gather(indices: indices, axis: axis) }
        case let .scatterAdd(indices, axis):
            return t.map { $0.scatterAdding(indices: indices, axis: axis, axisSize: outputShape[axis]) }
        case let .patches(geometry):  // linear: the tangent goes through the op itself
            return t.map { $0.patches(geometry) }
        case let .patchesAdjoint(geometry):
            return t.map { $0.patchesAdjoint(geometry) }
        case let .maxPoolPick(winners):  // linear too: the tangent at the same winners
            return t.map { $0.pickingWinners(winners) }
        case let .maxPoolSpread(winners):
            return t.map { $0.spreadingToWinners(winners) }
        case let .custom(record):
            throw .customGradient(op: record.name)
        }
    }
}

/// `a + b` where either may be a zero tangent (nil).
private func adding(_ a: Tensor?, _ b: Tensor?) -> Tensor? {
    guard let a else { return b }
    guard let b else { return a }
    return a + b
}

/// `select(condition, a, b)` of two tangents where either may be zero (nil).
private func picking(_ condition: Tensor, _ a: Tensor?, _ b: Tensor?) -> Tensor? {
    switch (a, b) {
    case let (a?, b?): select(condition, a, b)
    case let (a?, nil): select(condition, a, 0)
    case let (nil, b?): select(condition, 0, b)
    case (nil, nil): nil
    }
}

extension Tensor {
    /// The tensor reshaped to `shape`, or itself when it has that shape already.
    fileprivate func shaped(_ shape: Shape) -> Tensor { self.shape == shape ? self : reshaped(to: shape) }
}
