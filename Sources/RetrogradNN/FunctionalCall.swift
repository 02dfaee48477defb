// Calling a layer with other values for its variables (PyTorch's torch.func.functional_call),
// for MAML-style inner loops: the values are ordinary tensors on the tape, so gradients
// flow back through them to whatever they were computed from.

extension Layer {
    /// Applies the layer with the variables at the given paths holding other values for
    /// the duration of the call.
    ///
    /// The substitutes are read in place of the variables' values, under their own
    /// identities, so a tape records the call as a function of the substitutes: in MAML,
    /// fast weights computed from the variables by an inner gradient step carry the
    /// meta-gradient back to the variables, second-order terms included.
    ///
    /// ```swift
    /// let outer = GradientTape()
    /// let metaLoss = try outer.record { () throws -> Tensor in
    ///     let inner = GradientTape()
    ///     let weights = model.trainableVariables.map(\.value)
    ///     for weight in weights { inner.watch(weight) }
    ///     let supportLoss = inner.record { meanSquaredError(predictions: model(xs, with: weights), targets: ys) }
    ///     let grads = try inner.gradient(of: supportLoss, wrt: weights)
    ///     let fast = zip(weights, grads).map { $0 - 0.01 * $1! }
    ///     return meanSquaredError(predictions: model(xq, with: fast), targets: yq)
    /// }
    /// let metaGrads = try outer.gradient(of: metaLoss, wrt: model.trainableVariables)
    /// ```
    ///
    /// The variables themselves never change: their values are put back when the call
    /// returns, also when it throws. Variables not named keep their values, as with
    /// `functional_call`'s default. The substitution is visible to anything that reads
    /// the variables during the call, on any thread, so do not call the same model from
    /// two threads at once while one call substitutes, and do not assign to its variables
    /// inside the call (the assignment is undone when the call returns).
    ///
    /// - Parameters:
    ///   - input: The layer's input.
    ///   - values: Tensors by variable path (``namedVariables``' names); each must have its
    ///     variable's shape and element type. A variable reached by two paths (a layer used
    ///     twice) is named by either, not both.
    public func callAsFunction(_ input: Tensor, with values: [String: Tensor]) -> Tensor {
        withVariableValues(values) { self(input) }
    }

    /// Applies the layer with ``trainableVariables`` holding `values`, position by
    /// position, for the duration of the call; see ``callAsFunction(_:with:)-(_,[String:Tensor])``.
    ///
    /// - Parameters:
    ///   - input: The layer's input.
    ///   - values: One tensor per trainable variable, in the order of
    ///     ``trainableVariables`` (the order `tape.gradient(of:wrt:)` returns gradients in).
    public func callAsFunction(_ input: Tensor, with values: [Tensor]) -> Tensor {
        let variables = trainableVariables
        checkPrecondition(
            values.count == variables.count,
            "functional call: \(values.count) values for \(variables.count) trainable variables "
                + "(\(variables.map(\.name).joined(separator: ", "))); pass one value per trainable variable, "
                + "in the order of trainableVariables")
        return substituting(zip(variables, values).map { (variable: $0, value: $1, path: $0.name) }) { self(input) }
    }

    /// Runs `body` with the variables at the given paths holding `values`, and puts their
    /// own values back afterwards, also when `body` throws; the general form of
    /// ``callAsFunction(_:with:)-(_,[String:Tensor])``, for calls other than the layer's own
    /// (a second head, a loss that reads the variables).
    ///
    /// - Parameters:
    ///   - values: Tensors by variable path, each of its variable's shape and element type.
    ///   - body: The code that reads the substituted variables.
    public func withVariableValues<Result>(_ values: [String: Tensor], _ body: () throws -> Result) rethrows -> Result {
        let named = namedVariables
        var byPath = [String: Variable]()
        for (path, variable) in named { byPath[path] = variable }
        var substitutions = [(variable: Variable, value: Tensor, path: String)]()
        var chosen = [ObjectIdentifier: String]()
        for path in values.keys.sorted() {
            let value = values[path]!
            guard let variable = byPath[path] else {
                preconditionFailed(
                    "functional call: \(type(of: self)) has no variable '\(path)'; its paths are "
                        + named.map(\.name).joined(separator: ", "))
            }
            if let earlier = chosen.updateValue(path, forKey: ObjectIdentifier(variable)) {
                preconditionFailed(
                    "functional call: '\(earlier)' and '\(path)' are two paths to the same variable (a layer used twice); "
                        + "give its value under one of them")
            }
            substitutions.append((variable, value, path))
        }
        return try substituting(substitutions, body)
    }

    /// Runs `body` with each variable holding its value, checked against the variable's
    /// shape and element type, and restores them in reverse order afterwards.
    private func substituting<Result>(
        _ substitutions: [(variable: Variable, value: Tensor, path: String)], _ body: () throws -> Result
    ) rethrows -> Result {
        for (variable, value, path) in substitutions {
            checkPrecondition(
                value.shape == variable.shape && value.dtype == variable.dtype,
                "functional call: variable '\(path)' holds \(variable.dtype) \(variable.shape), "
                    + "the value given for it is \(value.dtype) \(value.shape)")
        }
        var saved = [(Variable, Tensor)]()
        saved.reserveCapacity(substitutions.count)
        defer {
            for (variable, previous) in saved.reversed() { variable.restoreValue(previous) }
        }
        for (variable, value, _) in substitutions { saved.append((variable, variable.substituteValue(value))) }
        return try body()
    }
}
