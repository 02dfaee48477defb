// Forward-mode Jacobians from a tape: instead of one backward pass per element of the
// target, one forward sweep over the records per element of the source, each pushing a
// one-hot tangent through the forward rules (ForwardRules.swift). The records hold what
// the rules read, except some output shapes (a reshape saves where it came from, not where
// it went), so a first reverse scan infers the shape of every value on a path to the
// target from the target's own shape.

extension GradientTape {
    /// What a forward sweep from one source to one target found.
    enum ForwardSweep {
        /// The Jacobian, of shape `target.shape + source.shape`.
        case jacobian(Tensor)
        /// The target does not depend on the source.
        case unconnected
        /// A custom-gradient op (named) lies on a path from the source to the target.
        case customGradient(String)
    }

    /// The Jacobian of the value tracked as `target` with respect to the one with
    /// identity `sourceID` (of `source`'s shape), one forward sweep per source element.
    func forwardJacobian(of target: Tensor, sourceID: UInt64, like source: Tensor) -> ForwardSweep {
        guard let targetSlot = slot(of: target.id).trackedIndex, let sourceSlot = slot(of: sourceID).trackedIndex,
            sourceSlot <= targetSlot, target.dtype.isFloatingPoint
        else { return .unconnected }
        // The sweep reads a snapshot: when this tape records its own sweep, it appends.
        let replayed = records
        let range = sweptRecords(replayed, from: sourceSlot, to: targetSlot)
        var shapes = [Shape?](repeating: nil, count: Int(trackedCount))
        shapes[Int(targetSlot)] = target.shape
        shapes[Int(sourceSlot)] = source.shape
        var onPath = [Bool](repeating: false, count: Int(trackedCount))  // leads to the target
        onPath[Int(targetSlot)] = true
        for index in range.reversed() where onPath[Int(replayed[index].output)] {
            let record = replayed[index]
            let inputShapes = record.op.inputShapes(outputShape: shapes[Int(record.output)]!, inputCount: record.inputs.all.count)
            for (slot, shape) in zip(record.inputs.all, inputShapes) {
                guard let input = slot.trackedIndex else { continue }
                onPath[Int(input)] = true
                shapes[Int(input)] = shape
            }
        }
        var reached = [Bool](repeating: false, count: Int(trackedCount))  // depends on the source
        reached[Int(sourceSlot)] = true
        var swept: [Int] = []
        for index in range where onPath[Int(replayed[index].output)] {
            let record = replayed[index]
            guard record.inputs.all.contains(where: { $0.trackedIndex.map { reached[Int($0)] } ?? false }) else { continue }
            if case let .custom(custom) = record.op { return .customGradient(custom.name) }
            reached[Int(record.output)] = true
            swept.append(index)
        }
        guard reached[Int(targetSlot)] else { return .unconnected }

        // Like a backward pass, the sweeps are recorded by the other tapes (and by this one
        // only when it records its own passes).
        let columns = whileReplaying { () -> [Tensor] in
            (0..<source.elementCount).map { element in
                var tangents = [Tensor?](repeating: nil, count: Int(trackedCount))
                tangents[Int(sourceSlot)] = Tensor.basisTensor(element, shape: source.shape, dtype: source.dtype)
                for index in swept {
                    let record = replayed[index]
                    let inputs = record.inputs.all.map { slot in slot.trackedIndex.flatMap { tangents[Int($0)] } }
                    tangents[Int(record.output)] = Self.tangent(of: record.op, inputs, outputShape: shapes[Int(record.output)]!)
                }
                return tangents[Int(targetSlot)] ?? Tensor.zeros(like: target)
            }
        }
        // In the source's element type, as a backward pass gives it.
        let shape = Shape(target.shape.dimensions + source.shape.dimensions)
        if columns.isEmpty { return .jacobian(Tensor.zeros(shape: shape, dtype: source.dtype)) }
        return .jacobian(stack(columns, axis: target.rank).reshaped(to: shape).cast(to: source.dtype))
    }

    /// The forward rule of a built-in primitive (the sweep never reaches a custom one).
    private static func tangent(of op: Primitive, _ tangents: [Tensor?], outputShape: Shape) -> Tensor? {
        do {
            return try ForwardRules.tangent(of: op, tangents, outputShape: outputShape)
        } catch {
            preconditionFailed("forward sweep: reached the custom-gradient op '\(op.name)', which the scan excludes")
        }
    }

    /// The indices of the records whose outputs lie between the source's slot and the
    /// target's: the only ones a tangent from the source can reach the target through.
    private func sweptRecords(_ records: [Record], from sourceSlot: Int32, to targetSlot: Int32) -> Range<Int> {
        let start = records.firstIndex { $0.output > sourceSlot } ?? records.count
        let end = records.lastIndex { $0.output <= targetSlot }.map { $0 + 1 } ?? start
        return start..<Swift.max(start, end)
    }
}

extension Primitive {
    /// The shapes of the op's inputs when its output has `outputShape`: what a reverse
    /// scan needs to know every value's shape. Broadcast inputs were expanded before the
    /// op was recorded, so elementwise ops' inputs have the output's shape.
    func inputShapes(outputShape: Shape, inputCount: Int) -> [Shape] {
        switch self {
        case .add, .sub, .mul, .div, .neg, .reciprocal, .exp, .log, .sin, .cos, .sqrt, .tanh, .sigmoid, .erf,
            .softplus, .logSoftmax, .pow, .maximum, .select, .cast:
            return Array(repeating: outputShape, count: inputCount)
        case let .softmaxCrossEntropy(logits, _):
            return [logits.shape]
        case let .sum(inputShape, _), let .reshape(inputShape), let .expand(inputShape), let .slice(_, inputShape),
            let .pad(_, inputShape):
            return [inputShape]
        case let .max(x, _, _):
            return [x.shape]
        case let .permute(permutation):
            var shape = outputShape
            for (position, axis) in permutation.enumerated() { shape[axis] = outputShape[position] }
            return [shape]
        case let .concat(axis, sizes):
            return sizes.map { size in
                var shape = outputShape
                shape[axis] = size
                return shape
            }
        case let .matmul(a, b, _, _):
            return [a.shape, b.shape]
        case let .linear(x, weight):
            return [x.shape, weight.shape, [weight.shape[1]]]
        case let .gather(indices, axis, axisSize):
            return [outputShape.prefix(axis).appending([axisSize]).appending(outputShape.suffix(from: axis + indices.rank))]
        case let .scatterAdd(indices, axis):
            return [outputShape.prefix(axis).appending(indices.shape).appending(outputShape.suffix(from: axis + 1))]
        case let .patches(geometry):
            return [geometry.imageShape]
        case let .patchesAdjoint(geometry):
            return [geometry.patchesShape]
        case let .maxPoolPick(winners):
            return [winners.geometry.imageShape]
        case let .maxPoolSpread(winners):
            return [winners.geometry.pooledShape]
        case let .custom(record):
            return record.inputs.map(\.shape)
        }
    }
}
