extension GradientTape {
    /// The Jacobian of `target` with respect to `source`: a tensor of shape
    /// `target.shape + source.shape` whose entry `[i…, j…]` is ∂target[i…]/∂source[j…].
    ///
    /// Runs one backward pass per element of `target`. Counts as one request on a
    /// non-persistent tape. Returns nil when `source` does not reach `target` (or zeros
    /// with `unconnected: .zero`).
    public func jacobian(of target: Tensor, wrt source: Tensor, unconnected: UnconnectedGradients = .none) throws -> Tensor? {
        try jacobian(of: target, id: source.id, like: source, unconnected)
    }

    /// The Jacobian of `target` with respect to a variable.
    public func jacobian(of target: Tensor, wrt variable: Variable, unconnected: UnconnectedGradients = .none) throws -> Tensor? {
        try jacobian(of: target, id: variable.id, like: variable.currentValue, unconnected)
    }

    private func jacobian(of target: Tensor, id: UInt64, like source: Tensor, _ unconnected: UnconnectedGradients) throws -> Tensor? {
        try checkRequest()
        defer { finishRequest() }
        let count = target.elementCount
        var rows: [Tensor] = []
        var connected = false
        for index in 0..<count {
            let seed = Tensor.oneHot(index, shape: target.shape, dtype: target.dtype)
            let row = backward(from: target.id, seed: seed, to: [id])[0]
            try AnomalyMonitor.throwPending()
            connected = connected || row != nil
            rows.append(row ?? Tensor.zeros(like: source))
        }
        guard connected || unconnected == .zero else { return nil }
        let shape = Shape(target.shape.dimensions + source.shape.dimensions)
        if rows.isEmpty { return Tensor.zeros(shape: shape, dtype: source.dtype) }
        return stack(rows).reshaped(to: shape)
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
            let column = Tensor.oneHot(index, shape: [1, perTarget], dtype: target.dtype)
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
    static func oneHot(_ index: Int, shape: Shape, dtype: DType) -> Tensor {
        var values = [Double](repeating: 0, count: shape.elementCount)
        values[index] = 1
        return Tensor(values, shape: shape).cast(to: dtype)
    }
}
