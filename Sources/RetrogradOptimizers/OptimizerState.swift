// The bookkeeping every optimizer shares: the apply loop with its checks, per-variable
// step counts and slot tensors, and saving / loading them as named tensors.

/// Per-variable optimizer state, keyed by variable identity.
struct SlotTable {
    /// The state of one variable that has been updated at least once.
    struct Entry {
        /// Held strongly, so the `ObjectIdentifier` key cannot be reused by another object.
        let variable: Variable
        /// How many updates this variable has had (t in the update rules).
        var step: Int
        /// The slot tensors, in the order of `slotNames`.
        var slots: [Tensor]
    }

    /// The optimizer's type name, for messages.
    let optimizerName: String
    /// The slot names used in state keys (`<variable.name>/<slot>`); no `/` inside.
    let slotNames: [String]
    /// The value each slot starts from, aligned with `slotNames`.
    let initialValues: [Double]
    /// The number of `apply` calls so far.
    private(set) var iterations = 0
    private var entries: [ObjectIdentifier: Entry] = [:]
    /// Variables this optimizer has already warned about (see `GradientDiagnostics`).
    private var warnedAboutMissingGradients = Set<UInt64>()

    init(optimizer: String, slots: [(name: String, initialValue: Double)]) {
        self.optimizerName = optimizer
        self.slotNames = slots.map(\.name)
        self.initialValues = slots.map(\.initialValue)
        precondition(slotNames.allSatisfy { !$0.contains("/") }, "slot names must not contain '/'")
    }

    /// The slots of a variable that has not been updated yet.
    private func freshSlots(for variable: Variable) -> [Tensor] {
        initialValues.map { Tensor.full($0, shape: variable.shape, dtype: variable.dtype) }
    }

    // MARK: Applying gradients

    /// Checks the lists, then, with no tape recording, updates each variable that has a
    /// gradient (and is trainable) with `update(&value, gradient, step, &slots)`, where
    /// `step` is that variable's update count including this one (1 on its first update)
    /// and `slots` its state, fresh on the first update. The value is the variable's own
    /// (``Variable/modify(_:)``), so a fused rule can write it in place. Counts the call
    /// in `iterations`.
    mutating func apply(
        _ gradients: [Tensor?], to variables: [Variable],
        update: (_ value: inout Tensor, _ gradient: Tensor, _ step: Int, _ slots: inout [Tensor]) -> Void
    ) {
        let operation = "\(optimizerName).apply(gradients:to:)"
        precondition(
            gradients.count == variables.count,
            "\(operation): \(gradients.count) gradients for \(variables.count) variables; "
                + "pass the list the tape returned for exactly these variables")
        // Check everything before the first update, so a bad entry changes nothing.
        var seen = Set<ObjectIdentifier>()
        for (gradient, variable) in zip(gradients, variables) {
            precondition(
                seen.insert(ObjectIdentifier(variable)).inserted,
                "\(operation): variable '\(variable.name)' is listed twice")
            guard let gradient, variable.trainable else { continue }
            precondition(
                gradient.shape == variable.shape && gradient.dtype == variable.dtype,
                "\(operation): the gradient for variable '\(variable.name)' is \(gradient.dtype) \(gradient.shape), "
                    + "but the variable holds \(variable.dtype) \(variable.shape)")
            precondition(
                variable.dtype.isFloatingPoint,
                "\(operation): variable '\(variable.name)' holds \(variable.dtype); only float32 and float64 variables can be optimized")
        }
        withoutRecording {
            for (gradient, variable) in zip(gradients, variables) {
                guard let gradient, variable.trainable else {
                    if variable.trainable { warnAboutMissingGradient(variable, operation) }
                    continue
                }
                let id = ObjectIdentifier(variable)
                var entry = entries.removeValue(forKey: id)
                    ?? Entry(variable: variable, step: 0, slots: freshSlots(for: variable))
                entry.step += 1
                variable.modify { update(&$0, gradient, entry.step, &entry.slots) }
                entries[id] = entry
            }
        }
        iterations += 1
    }

    /// Prints why `variable` got no gradient, once, when the warning is on.
    private mutating func warnAboutMissingGradient(_ variable: Variable, _ operation: String) {
        guard GradientDiagnostics.warnsOnMissingGradients, warnedAboutMissingGradients.insert(variable.id).inserted else { return }
        GradientDiagnostics.warnMissingGradient(for: variable, receiver: operation)
    }

    // MARK: Saving and loading

    /// Stops when two variables share a name, since their state keys would collide.
    private func requireUniqueNames(_ variables: [Variable], _ operation: String) {
        var names = Set<String>()
        for variable in variables {
            precondition(
                names.insert(variable.name).inserted,
                "\(optimizerName).\(operation): two variables are named '\(variable.name)'; "
                    + "state keys are built from names, so names must be unique")
        }
    }

    /// The state as named tensors (see `Optimizer` for the keys).
    func stateTensors(for variables: [Variable]) -> [String: Tensor] {
        requireUniqueNames(variables, "stateTensors(for:)")
        var state = ["iterations": Tensor(Int32(iterations))]
        for variable in variables {
            let entry = entries[ObjectIdentifier(variable)]
            state["\(variable.name)/step"] = Tensor(Int32(entry?.step ?? 0))
            for (name, slot) in zip(slotNames, entry?.slots ?? freshSlots(for: variable)) {
                state["\(variable.name)/\(name)"] = slot
            }
        }
        return state
    }

    /// Checks every entry, then replaces the state of `variables` and `iterations`.
    mutating func loadState(_ state: [String: Tensor], for variables: [Variable]) throws {
        requireUniqueNames(variables, "loadState(_:for:)")
        let loadedIterations = try count(in: state, key: "iterations")
        var loaded: [(variable: Variable, step: Int, slots: [Tensor])] = []
        for variable in variables {
            let step = try count(in: state, key: "\(variable.name)/step")
            var slots: [Tensor] = []
            for name in slotNames {
                let key = "\(variable.name)/\(name)"
                guard let slot = state[key] else { throw OptimizerStateError.missingEntry(key: key) }
                guard slot.shape == variable.shape else {
                    throw OptimizerStateError.shapeMismatch(key: key, expected: variable.shape, found: slot.shape)
                }
                guard slot.dtype == variable.dtype else {
                    throw OptimizerStateError.typeMismatch(key: key, expected: variable.dtype, found: slot.dtype)
                }
                slots.append(slot)
            }
            loaded.append((variable, step, slots))
        }
        // Everything checked: now change the state.
        iterations = loadedIterations
        for (variable, step, slots) in loaded {
            let id = ObjectIdentifier(variable)
            if step == 0 {
                entries[id] = nil  // not updated yet: its next update is a first step
            } else {
                entries[id] = Entry(variable: variable, step: step, slots: slots)
            }
        }
    }

    /// A step count: a 0-d number that is a whole number from 0 to Int32.max.
    private func count(in state: [String: Tensor], key: String) throws -> Int {
        guard let tensor = state[key] else { throw OptimizerStateError.missingEntry(key: key) }
        guard tensor.shape.rank == 0, tensor.dtype != .bool else {
            throw OptimizerStateError.invalidCount(key: key, found: "\(tensor.dtype) tensor of shape \(tensor.shape)")
        }
        let value = tensor.scalar(as: Double.self)
        guard value >= 0, value <= Double(Int32.max), value.rounded(.towardZero) == value else {
            throw OptimizerStateError.invalidCount(key: key, found: "\(value)")
        }
        return Int(value)
    }
}
