// Gradient transforms on the list a tape returns: negate or scale all gradients, or those
// of selected variables. Each returns a new list, so transforms chain:
//
//     let grads = try tape.gradient(of: loss, wrt: variables)
//         .negated(only: domainHead.trainableVariables, in: variables)
//         .scaled(by: 0.1, in: variables, where: { $0.name.hasPrefix("features.") })
//
// A transform that selects takes the variable list the gradients are aligned with
// (the list passed to the tape), since a gradient does not know its variable. `nil`
// gradients stay `nil`. The math is ordinary tensor ops, so a transform inside a
// tape's `record` is recorded and differentiates like any other op.

extension Array where Element == Tensor? {
    /// Every gradient negated: applying the result with a descent optimizer climbs the
    /// loss (gradient ascent).
    ///
    /// ```swift
    /// optimizer.apply(gradients: grads.negated(), to: variables)   // maximize the loss
    /// ```
    public func negated() -> [Tensor?] {
        map { $0.map { -$0 } }
    }

    /// The gradients of the `selected` variables negated, the others unchanged: reverse
    /// the update of one part of a model, such as the domain head of an adversarial
    /// model.
    ///
    /// - Parameters:
    ///   - selected: The variables whose gradients to negate; each must be in `variables`.
    ///   - variables: The variables the gradients are aligned with.
    public func negated(only selected: [Variable], in variables: [Variable]) -> [Tensor?] {
        transformed(where: mask(selecting: selected, in: variables, "negated(only:in:)")) { -$0 }
    }

    /// The gradients of the variables for which `predicate` is true negated, the others
    /// unchanged.
    ///
    /// ```swift
    /// let reversed = grads.negated(in: variables, where: { $0.name.hasPrefix("domain.") })
    /// ```
    ///
    /// - Parameters:
    ///   - variables: The variables the gradients are aligned with.
    ///   - predicate: Whether to negate the gradient of a variable.
    public func negated(in variables: [Variable], where predicate: (Variable) throws -> Bool) rethrows -> [Tensor?] {
        try transformed(where: mask(in: variables, "negated(in:where:)", predicate)) { -$0 }
    }

    /// Every gradient multiplied by `factor` (in the gradient's element type).
    public func scaled(by factor: Double) -> [Tensor?] {
        map { $0.map { $0 * factor } }
    }

    /// The gradients of the `selected` variables multiplied by `factor`, the others
    /// unchanged. With plain SGD this is a per-variable learning rate: the selected
    /// variables move with `factor` times the optimizer's rate.
    ///
    /// - Parameters:
    ///   - factor: The multiplier.
    ///   - selected: The variables whose gradients to scale; each must be in `variables`.
    ///   - variables: The variables the gradients are aligned with.
    public func scaled(by factor: Double, only selected: [Variable], in variables: [Variable]) -> [Tensor?] {
        transformed(where: mask(selecting: selected, in: variables, "scaled(by:only:in:)")) { $0 * factor }
    }

    /// The gradients of the variables for which `predicate` is true multiplied by
    /// `factor`, the others unchanged.
    ///
    /// ```swift
    /// // The pretrained feature extractor learns ten times slower.
    /// let grads = grads.scaled(by: 0.1, in: variables, where: { $0.name.hasPrefix("features.") })
    /// ```
    ///
    /// - Parameters:
    ///   - factor: The multiplier.
    ///   - variables: The variables the gradients are aligned with.
    ///   - predicate: Whether to scale the gradient of a variable.
    public func scaled(
        by factor: Double, in variables: [Variable], where predicate: (Variable) throws -> Bool
    ) rethrows -> [Tensor?] {
        try transformed(where: mask(in: variables, "scaled(by:in:where:)", predicate)) { $0 * factor }
    }

    // MARK: Selection

    /// Stops unless the gradients and variables are aligned.
    func requireAligned(with variables: [Variable], _ operation: String) {
        checkPrecondition(
            count == variables.count,
            "\(operation): \(count) gradients but \(variables.count) variables; pass the variable list "
                + "the gradients were computed for")
    }

    /// Which positions hold one of `selected`, stopping when one of them is missing.
    private func mask(selecting selected: [Variable], in variables: [Variable], _ operation: String) -> [Bool] {
        requireAligned(with: variables, operation)
        let listed = Set(variables.map(ObjectIdentifier.init))
        for variable in selected {
            checkPrecondition(
                listed.contains(ObjectIdentifier(variable)),
                "\(operation): variable '\(variable.name)' is not among the \(variables.count) variables "
                    + "the gradients are aligned with")
        }
        let chosen = Set(selected.map(ObjectIdentifier.init))
        return variables.map { chosen.contains(ObjectIdentifier($0)) }
    }

    /// Which positions hold a variable satisfying `predicate`.
    private func mask(
        in variables: [Variable], _ operation: String, _ predicate: (Variable) throws -> Bool
    ) rethrows -> [Bool] {
        requireAligned(with: variables, operation)
        return try variables.map(predicate)
    }

    /// `transform` applied to the gradients at the chosen positions.
    private func transformed(where chosen: [Bool], _ transform: (Tensor) -> Tensor) -> [Tensor?] {
        zip(self, chosen).map { gradient, isChosen in isChosen ? gradient.map(transform) : gradient }
    }
}
