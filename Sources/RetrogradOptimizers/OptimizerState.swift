// Saving an optimizer's state as named tensors and loading it back (keys described on
// `Optimizer`), and the error a refused state throws.

extension Optimizer {
    /// The optimizer's state for `variables`, keyed as described under *Saving and
    /// restoring state*. Variable names must be unique within `variables`.
    ///
    /// A subclass's slots are saved under the names it declared (``declaredSlots``).
    public func stateTensors(for variables: [Variable]) -> [String: Tensor] {
        requireUniqueNames(variables, "stateTensors(for:)")
        var state = ["iterations": Tensor(Int32(iterations))]
        for variable in variables {
            let entry = entries[ObjectIdentifier(variable)]
            state["\(variable.name)/step"] = Tensor(Int32(entry?.step ?? 0))
            for (slot, tensor) in zip(declaredSlots, entry?.slots ?? freshSlots(for: variable)) {
                state["\(variable.name)/\(slot.name)"] = tensor
            }
        }
        return state
    }

    /// Replaces the optimizer's state for `variables` (and its ``iterations``) with
    /// `state`, as ``stateTensors(for:)`` produced it.
    ///
    /// Every entry is checked before anything changes: on a missing entry or one of the
    /// wrong shape or element type, the method throws an ``OptimizerStateError`` naming
    /// the entry and the optimizer is left as it was. Entries for other variables are
    /// ignored, and so is the state of variables not in `variables`. A variable loaded
    /// with step 0 counts as not updated yet: its next update is a first step from fresh
    /// slots.
    public func loadState(_ state: [String: Tensor], for variables: [Variable]) throws {
        requireUniqueNames(variables, "loadState(_:for:)")
        let loadedIterations = try count(in: state, key: "iterations")
        var loaded: [VariableState] = []
        for variable in variables {
            let step = try count(in: state, key: "\(variable.name)/step")
            var slots: [Tensor] = []
            for slot in declaredSlots {
                let key = "\(variable.name)/\(slot.name)"
                guard let tensor = state[key] else { throw OptimizerStateError.missingEntry(key: key) }
                guard tensor.shape == variable.shape else {
                    throw OptimizerStateError.shapeMismatch(key: key, expected: variable.shape, found: tensor.shape)
                }
                guard tensor.dtype == variable.dtype else {
                    throw OptimizerStateError.typeMismatch(key: key, expected: variable.dtype, found: tensor.dtype)
                }
                slots.append(tensor)
            }
            loaded.append(VariableState(variable: variable, step: step, slots: slots))
        }
        // Everything checked: now change the state.
        iterations = loadedIterations
        for entry in loaded {
            // Step 0 means not updated yet: the next update is a first step.
            entries[ObjectIdentifier(entry.variable)] = entry.step == 0 ? nil : entry
        }
    }

    /// Stops when two variables share a name, since their state keys would collide.
    private func requireUniqueNames(_ variables: [Variable], _ operation: String) {
        var names = Set<String>()
        for variable in variables {
            checkPrecondition(
                names.insert(variable.name).inserted,
                "\(name).\(operation): two variables are named '\(variable.name)'; "
                    + "state keys are built from names, so names must be unique")
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

/// Why ``Optimizer/loadState(_:for:)`` refused a state; nothing was changed.
public enum OptimizerStateError: Error, Equatable, CustomStringConvertible {
    /// An entry the optimizer needs is not in the state.
    case missingEntry(key: String)
    /// An entry has the wrong shape.
    case shapeMismatch(key: String, expected: Shape, found: Shape)
    /// An entry has the wrong element type.
    case typeMismatch(key: String, expected: DType, found: DType)
    /// A step count is not a 0-d tensor holding a whole number from 0 to `Int32.max`.
    case invalidCount(key: String, found: String)

    /// The key of the offending entry.
    public var key: String {
        switch self {
        case let .missingEntry(key), let .shapeMismatch(key, _, _), let .typeMismatch(key, _, _),
            let .invalidCount(key, _):
            return key
        }
    }

    /// What is wrong with the entry and what to do about it.
    public var description: String {
        switch self {
        case let .missingEntry(key):
            return "optimizer state has no entry '\(key)'; pass the dictionary stateTensors(for:) made "
                + "for variables with the same names"
        case let .shapeMismatch(key, expected, found):
            return "optimizer state entry '\(key)' has shape \(found), expected \(expected) "
                + "(the variable's shape); the state was saved for a different model"
        case let .typeMismatch(key, expected, found):
            return "optimizer state entry '\(key)' is \(found), expected \(expected) "
                + "(the variable's element type); cast it with .cast(to:) before loading"
        case let .invalidCount(key, found):
            return "optimizer state entry '\(key)' must be a 0-d tensor holding a whole number "
                + "from 0 to \(Int32.max), found \(found)"
        }
    }
}
