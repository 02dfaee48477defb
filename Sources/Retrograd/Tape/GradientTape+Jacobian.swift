/// How a Jacobian is computed.
public enum JacobianMode: Sendable {
    /// Forward mode when the source has fewer elements than the target, reverse mode
    /// otherwise, and reverse mode whenever a custom gradient lies on the way (it has no
    /// forward rule): the fewer passes, as `jax.jacfwd` and `jax.jacrev` leave you to choose.
    case automatic
    /// One forward sweep of the forward rules per element of the source (`jax.jacfwd`).
    /// Throws ``ForwardModeError/customGradient(op:)`` through a custom gradient.
    case forward
    /// One backward pass per element of the target (`jax.jacrev`).
    case reverse
}

extension GradientTape {
    /// The Jacobian of `target` with respect to `source`: a tensor of shape
    /// `target.shape + source.shape` whose entry `[i…, j…]` is ∂target[i…]/∂source[j…].
    ///
    /// With `mode: .automatic`, runs one forward sweep over the records per element of
    /// `source` when it has fewer elements than `target`, otherwise one backward pass per
    /// element of `target` (see ``JacobianMode``). Counts as one request on a
    /// non-persistent tape. Returns nil when `source` does not reach `target` (or zeros
    /// with `unconnected: .zero`).
    public func jacobian(
        of target: Tensor, wrt source: Tensor, unconnected: UnconnectedGradients = .none, mode: JacobianMode = .automatic
    ) throws -> Tensor? {
        try jacobian(of: target, id: source.id, like: source, unconnected, mode)
    }

    /// The Jacobian of `target` with respect to a variable.
    public func jacobian(
        of target: Tensor, wrt variable: Variable, unconnected: UnconnectedGradients = .none, mode: JacobianMode = .automatic
    ) throws -> Tensor? {
        try jacobian(of: target, id: variable.id, like: variable.currentValue, unconnected, mode)
    }

    private func jacobian(
        of target: Tensor, id: UInt64, like source: Tensor, _ unconnected: UnconnectedGradients, _ mode: JacobianMode
    ) throws -> Tensor? {
        try checkRequest()
        defer { finishRequest() }
        if mode == .forward || (mode == .automatic && source.elementCount < target.elementCount) {
            switch forwardJacobian(of: target, sourceID: id, like: source) {
            case let .jacobian(jacobian):
                try AnomalyMonitor.throwPending()
                return jacobian
            case .unconnected:
                return unconnected == .zero ? Tensor.zeros(shape: jacobianShape(target, source), dtype: source.dtype) : nil
            case let .customGradient(op):
                if mode == .forward { throw ForwardModeError.customGradient(op: op) }
            }
        }
        let count = target.elementCount
        var rows: [Tensor] = []
        var connected = false
        for index in 0..<count {
            let seed = Tensor.basisTensor(index, shape: target.shape, dtype: target.dtype)
            let row = backward(from: target.id, seed: seed, to: [id])[0]
            try AnomalyMonitor.throwPending()
            connected = connected || row != nil
            rows.append(row ?? Tensor.zeros(like: source))
        }
        guard connected || unconnected == .zero else { return nil }
        let shape = jacobianShape(target, source)
        if rows.isEmpty { return Tensor.zeros(shape: shape, dtype: source.dtype) }
        return stack(rows).reshaped(to: shape)
    }

    /// `target.shape + source.shape`.
    private func jacobianShape(_ target: Tensor, _ source: Tensor) -> Shape {
        Shape(target.shape.dimensions + source.shape.dimensions)
    }
    /// The per-example Jacobian of `target` (`[batch, …]`) with respect to `source`
    /// (`[batch, …]`), assuming example `b` of the target depends only on example `b` of
    /// the source: shape `[batch] + target.shape[1…] + source.shape[1…]`.
    ///
    /// Runs one backward pass per element of one target example.
    public func batchJacobian(of target: Tensor, wrt source: Tensor, unconnected: UnconnectedGradients = .none) throws -> Tensor? {
        try checkRequest()
        defer { finishRequest() }
        checkPrecondition(
            target.rank >= 1 && source.rank >= 1 && target.shape[0] == source.shape[0],
            "batchJacobian: target \(target.shape) and source \(source.shape) need the same leading batch dimension")
        let batch = target.shape[0]
        let perTarget = target.elementCount / Swift.max(batch, 1), perSource = source.elementCount / Swift.max(batch, 1)
        var columns: [Tensor] = []
        var connected = false
        for index in 0..<perTarget {
            let column = Tensor.basisTensor(index, shape: [1, perTarget], dtype: target.dtype)
            let seed = withoutRecording { column.expanded(to: [batch, perTarget]).reshaped(to: target.shape) }
            let rows = backward(from: target.id, seed: seed, to: [source.id])[0]
            try AnomalyMonitor.throwPending()
            connected = connected || rows != nil
            columns.append((rows ?? Tensor.zeros(like: source)).reshaped(to: [batch, 1, perSource]))
        }
        guard connected || unconnected == .zero else { return nil }
        let shape = Shape([batch] + target.shape.dimensions.dropFirst() + source.shape.dimensions.dropFirst())
        if columns.isEmpty { return Tensor.zeros(shape: shape, dtype: source.dtype) }
        return concat(columns, axis: 1).reshaped(to: shape)
    }
}

extension Tensor {
    /// Zeros of `shape` with a one at flat offset `index`.
    static func basisTensor(_ index: Int, shape: Shape, dtype: DType) -> Tensor {
        var values = [Double](repeating: 0, count: shape.elementCount)
        values[index] = 1
        return Tensor(values, shape: shape).cast(to: dtype)
    }
}
