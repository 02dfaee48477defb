// The gradient requests a tape answers: one target or a list of targets (summed), with
// respect to one source, a list of sources (tensors, variables, or both) or a dictionary of
// sources. Each checks the request, builds the seeds and runs `gradients(of:sources:…)`.

extension GradientTape {
    // MARK: One target

    /// The gradient of `target` with respect to each source, aligned with `sources`.
    ///
    /// A non-scalar target is summed first (its gradient is seeded with ones), unless
    /// `outputGradient` gives the seed. A source that does not reach the target gets
    /// `nil`, or zeros with `unconnected: .zero`.
    public func gradient(
        of target: Tensor, wrt sources: [Tensor], unconnected: UnconnectedGradients = .none,
        outputGradient: Tensor? = nil
    ) throws -> [Tensor?] {
        try request(target, outputGradient, sources.map { .tensor($0) }, unconnected)
    }

    /// The gradient of `target` with respect to one source.
    public func gradient(
        of target: Tensor, wrt source: Tensor, unconnected: UnconnectedGradients = .none,
        outputGradient: Tensor? = nil
    ) throws -> Tensor? {
        try gradient(of: target, wrt: [source], unconnected: unconnected, outputGradient: outputGradient)[0]
    }

    /// The gradient of `target` with respect to each variable, aligned with `variables`.
    public func gradient(
        of target: Tensor, wrt variables: [Variable], unconnected: UnconnectedGradients = .none,
        outputGradient: Tensor? = nil
    ) throws -> [Tensor?] {
        try request(target, outputGradient, variables.map { .variable($0) }, unconnected)
    }

    /// The gradient of `target` with respect to one variable.
    public func gradient(
        of target: Tensor, wrt variable: Variable, unconnected: UnconnectedGradients = .none,
        outputGradient: Tensor? = nil
    ) throws -> Tensor? {
        try gradient(of: target, wrt: [variable], unconnected: unconnected, outputGradient: outputGradient)[0]
    }

    /// The gradient of `target` with respect to each source of a list that mixes tensors
    /// and variables, aligned with `sources`.
    ///
    /// ```swift
    /// let grads = try tape.gradient(of: loss, wrt: [w, x])   // w a Variable, x a watched Tensor
    /// ```
    public func gradient(
        of target: Tensor, wrt sources: [any GradientSource], unconnected: UnconnectedGradients = .none,
        outputGradient: Tensor? = nil
    ) throws -> [Tensor?] {
        try request(target, outputGradient, sources.map(\.gradientSourceKind), unconnected)
    }

    /// The gradient of `target` with respect to each source of a dictionary, under the
    /// source's key.
    ///
    /// A source that gets no gradient has no entry (with `unconnected: .zero` every key has
    /// one), so `grads["w"]` is `nil` exactly when `w` got none. In the gradient-flow report
    /// a tensor source is named by its key.
    ///
    /// ```swift
    /// let grads = try tape.gradient(of: loss, wrt: ["w": w, "x": x])
    /// let dw = grads["w"]
    /// ```
    public func gradient<Key: Hashable>(
        of target: Tensor, wrt sources: [Key: any GradientSource], unconnected: UnconnectedGradients = .none,
        outputGradient: Tensor? = nil
    ) throws -> [Key: Tensor] {
        try checkRequest()
        let seed = try seeded(target, outputGradient)
        return try keyed(sources) { try gradients(of: CollectionOfOne(seed), sources: $0, unconnected, labels: $1) }
    }

    // MARK: Several targets

    /// The gradient of the sum of `targets` with respect to each source, aligned with
    /// `sources` (TensorFlow's `tape.gradient([y1, y2], sources)`).
    ///
    /// Each target is summed (seeded with ones) unless `outputGradients` gives one seed
    /// per target, in order; a target listed twice counts twice. Targets that were not
    /// recorded add nothing. `sources` may mix tensors and variables.
    ///
    /// ```swift
    /// let grads = try tape.gradient(of: [labelLoss, domainLoss], wrt: model.trainableVariables)
    /// ```
    public func gradient(
        of targets: [Tensor], wrt sources: [any GradientSource], unconnected: UnconnectedGradients = .none,
        outputGradients: [Tensor]? = nil
    ) throws -> [Tensor?] {
        try checkRequest()
        let seeds = try seeded(targets, outputGradients)
        return try gradients(of: seeds, sources: sources.map(\.gradientSourceKind), unconnected)
    }

    /// The gradient of the sum of `targets` with respect to one source.
    public func gradient(
        of targets: [Tensor], wrt source: any GradientSource, unconnected: UnconnectedGradients = .none,
        outputGradients: [Tensor]? = nil
    ) throws -> Tensor? {
        try gradient(of: targets, wrt: [source], unconnected: unconnected, outputGradients: outputGradients)[0]
    }

    /// The gradient of the sum of `targets` with respect to each source of a dictionary,
    /// under the source's key; a source that gets no gradient has no entry.
    public func gradient<Key: Hashable>(
        of targets: [Tensor], wrt sources: [Key: any GradientSource], unconnected: UnconnectedGradients = .none,
        outputGradients: [Tensor]? = nil
    ) throws -> [Key: Tensor] {
        try checkRequest()
        let seeds = try seeded(targets, outputGradients)
        return try keyed(sources) { try gradients(of: seeds, sources: $0, unconnected, labels: $1) }
    }

    // MARK: Building a request

    /// The request of one target with respect to a list of sources.
    @inline(__always)
    private func request(
        _ target: Tensor, _ outputGradient: Tensor?, _ sources: [GradientSourceKind], _ unconnected: UnconnectedGradients
    ) throws -> [Tensor?] {
        try checkRequest()
        let seed = try seeded(target, outputGradient)
        return try gradients(of: CollectionOfOne(seed), sources: sources, unconnected)
    }

    /// `target` with its seed: `outputGradient` when it matches the target, ones otherwise.
    @inline(__always)
    private func seeded(_ target: Tensor, _ outputGradient: Tensor?) throws -> TargetSeed {
        guard let seed = outputGradient else { return TargetSeed(target, seed: Tensor.ones(like: target)) }
        guard seed.shape == target.shape && seed.dtype == target.dtype else {
            throw TapeError.outputGradientMismatch(
                target: target.shape, targetType: target.dtype, seed: seed.shape, seedType: seed.dtype)
        }
        return TargetSeed(target, seed: seed)
    }

    /// Each target with its seed; at least one target, and one seed per target when given.
    private func seeded(_ targets: [Tensor], _ outputGradients: [Tensor]?) throws -> [TargetSeed] {
        guard !targets.isEmpty else { throw TapeError.noTargets }
        if let outputGradients, outputGradients.count != targets.count {
            throw TapeError.outputGradientCount(targets: targets.count, seeds: outputGradients.count)
        }
        return try targets.indices.map { try seeded(targets[$0], outputGradients?[$0]) }
    }

    /// Runs `request` on the dictionary's sources (with their report labels: a tensor's key)
    /// and files each gradient under its source's key.
    private func keyed<Key: Hashable>(
        _ sources: [Key: any GradientSource], _ request: ([GradientSourceKind], [String?]) throws -> [Tensor?]
    ) rethrows -> [Key: Tensor] {
        let entries = Array(sources)
        let kinds = entries.map(\.value.gradientSourceKind)
        let labels = zip(entries, kinds).map { entry, kind -> String? in
            if case .tensor = kind { return String(describing: entry.key) }
            return nil
        }
        let found = try request(kinds, labels)
        var result = [Key: Tensor](minimumCapacity: entries.count)
        for (entry, gradient) in zip(entries, found) {
            if let gradient { result[entry.key] = gradient }
        }
        return result
    }
}
