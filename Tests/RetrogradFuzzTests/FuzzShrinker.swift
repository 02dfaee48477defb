@testable import Retrograd
import RetrogradNN

/// Makes a failing fuzz case smaller while it still fails.
///
/// Greedy: from the current case it builds candidates, most aggressive first, and moves
/// to the first one that is a fair test (`FuzzCase.evaluated`), is smaller by
/// ``measure(_:)`` and still fails; it stops when no candidate does or after `budget`
/// checks. The candidates:
/// 1. the root replaced by any node below it;
/// 2. a node replaced by one of its operands (kept when every op above accepts the shape);
/// 3. a node replaced by a new input, or by a constant, holding its value (so everything
///    above it computes the same values);
/// 4. every dimension of size n shrunk to 1 or 2, everywhere at once (inputs keep their
///    leading block, shape parameters follow);
/// 5. a size-1 axis dropped from an input or constant;
/// 6. inputs and constants rounded to one or two decimals.
enum FuzzShrinker {
    /// The smallest failing case found from `failing`; `stillFails` is the property being
    /// shrunk (by default: the case's own check fails).
    static func shrink(
        _ failing: FuzzCase, budget: Int = 600, stillFails: (FuzzCase) -> Bool = { $0.check().failed }
    ) -> FuzzCase {
        var current = failing.compacted()
        var checks = 0
        var improved = true
        while improved && checks < budget {
            improved = false
            let bound = measure(current)
            for candidate in candidates(current) {
                let candidate = candidate.compacted()
                guard measure(candidate).lexicographicallyPrecedes(bound), !candidate.inputs.isEmpty,
                    case .success = candidate.evaluated()
                else { continue }
                checks += 1
                if stillFails(candidate) {
                    current = candidate
                    improved = true
                    break
                }
                if checks >= budget { break }
            }
        }
        return current
    }

    /// Node count, then the number of inputs, of leaf elements, the rank of the leaves,
    /// and how many leaf values need more than one decimal: smaller is simpler.
    static func measure(_ fuzzCase: FuzzCase) -> [Int] {
        let leaves = fuzzCase.reachable.compactMap { index -> Tensor? in
            switch fuzzCase.nodes[index].op {
            case let .input(i): return fuzzCase.inputs[i]
            case let .constant(value): return value
            default: return nil
            }
        }
        func decimals(_ value: Double) -> Int {
            let tenths: Double = value * 10, hundredths: Double = value * 100
            if tenths.rounded() == tenths { return 0 }
            return hundredths.rounded() == hundredths ? 1 : 2
        }
        let digits = leaves.flatMap { $0.scalars(as: Double.self) }.map(decimals).reduce(0, +)
        return [
            fuzzCase.size, fuzzCase.inputs.count, leaves.reduce(0) { $0 + $1.elementCount }, leaves.reduce(0) { $0 + $1.rank }, digits,
        ]
    }

    static func candidates(_ current: FuzzCase) -> [FuzzCase] {
        var result: [FuzzCase] = []
        let order = current.reachable
        let subtreeSize = Dictionary(uniqueKeysWithValues: order.map { index in
            var copy = current
            copy.root = index
            return (index, copy.size)
        })
        // 1. A smaller root.
        for index in order.sorted(by: { subtreeSize[$0]! < subtreeSize[$1]! }) where index != current.root {
            var copy = current
            copy.root = index
            result.append(copy)
        }
        // 2. A node replaced by one of its operands.
        for parent in order {
            for (slot, child) in current.nodes[parent].children.enumerated() {
                for grandchild in current.nodes[child].children {
                    var copy = current
                    copy.nodes[parent].children[slot] = grandchild
                    result.append(copy)
                }
            }
        }
        // 3. A node replaced by a leaf holding its value.
        let values = (try? current.evaluated().get()) ?? [:]
        if !values.isEmpty {
            for index in order where !current.nodes[index].children.isEmpty || current.nodes[index].op.isInput {
                let value = values[index]!.withNewIdentity
                if !current.nodes[index].children.isEmpty {
                    var asInput = current
                    asInput.inputs.append(value)
                    asInput.nodes[index] = FuzzNode(op: .input(asInput.inputs.count - 1), children: [])
                    result.append(asInput)
                }
                var asConstant = current
                asConstant.nodes[index] = FuzzNode(op: .constant(value), children: [])
                result.append(asConstant)
            }
        }
        // 4. Smaller dimensions.
        let sizes = Set(values.values.flatMap(\.shape.dimensions))
        for size in sizes.sorted(by: >) where size > 1 {
            for smaller in [1, 2] where smaller < size {
                result.append(current.renamingDimension(size, to: smaller))
            }
        }
        // 5. Dropped size-1 axes.
        for (i, input) in current.inputs.enumerated() {
            for axis in input.shape.indices where input.shape[axis] == 1 {
                var copy = current
                var dims = input.shape.dimensions
                dims.remove(at: axis)
                copy.inputs[i] = Tensor(input.scalars(as: Double.self), shape: Shape(dims))
                result.append(copy)
            }
        }
        // 6. Rounder inputs and constants.
        for scale in [10.0, 100.0] {
            func rounded(_ tensor: Tensor) -> Tensor {
                Tensor(tensor.scalars(as: Double.self).map { ($0 * scale).rounded() / scale }, shape: tensor.shape)
            }
            var copy = current
            copy.inputs = current.inputs.map(rounded)
            for index in order {
                if case let .constant(value) = copy.nodes[index].op { copy.nodes[index].op = .constant(rounded(value)) }
            }
            result.append(copy)
        }
        return result
    }
}

extension FuzzCase {
    /// The case with every dimension of `size` made `smaller`: inputs, constants and
    /// conditions keep their leading block, and shape parameters (reshape and expand
    /// targets, slice sizes, gather indices, labels) follow. Shape inference rejects the
    /// result when the renaming breaks an op.
    func renamingDimension(_ size: Int, to smaller: Int) -> FuzzCase {
        func rename(_ dims: [Int]) -> [Int] { dims.map { $0 == size ? smaller : $0 } }
        func block(_ tensor: Tensor) -> Tensor {
            let target = Shape(rename(tensor.shape.dimensions))
            if tensor.dtype == .bool {
                return Tensor(leadingBlock(tensor.scalars(as: Bool.self), tensor.shape, target), shape: target)
            }
            return Tensor(leadingBlock(tensor.scalars(as: Double.self), tensor.shape, target), shape: target)
        }
        func prefix<T>(_ items: [T]) -> [T] { items.count == size ? Array(items.prefix(smaller)) : items }
        var copy = self
        copy.inputs = inputs.map(block)
        for index in copy.nodes.indices {
            switch copy.nodes[index].op {
            case let .constant(value): copy.nodes[index].op = .constant(block(value))
            case let .reshape(target, inferring): copy.nodes[index].op = .reshape(Shape(rename(target.dimensions)), inferring: inferring)
            case let .expand(target): copy.nodes[index].op = .expand(Shape(rename(target.dimensions)))
            case let .slice(lower, sizes): copy.nodes[index].op = .slice(lowerBounds: lower, sizes: rename(sizes))
            case let .sliceRange(range, axis) where range.count == size:
                copy.nodes[index].op = .sliceRange(range.lowerBound..<(range.lowerBound + smaller), axis: axis)
            case let .select(condition): copy.nodes[index].op = .select(condition: block(condition))
            case let .selectConstant(condition, constant, first):
                copy.nodes[index].op = .selectConstant(condition: block(condition), constant, constantFirst: first)
            case let .gather(indices, nil, axis): copy.nodes[index].op = .gather(indices: prefix(indices), shape: nil, axis: axis)
            case let .gather(indices, shape?, axis):
                let target = Shape(rename(shape.dimensions))
                copy.nodes[index].op = .gather(indices: leadingBlock(indices, shape, target), shape: target, axis: axis)
            case let .loss(.binaryCrossEntropy(labels, reduction)):
                copy.nodes[index].op = .loss(.binaryCrossEntropy(labels: block(labels), reduction))
            case let .loss(.softmaxCrossEntropyLabels(labels, reduction)):
                copy.nodes[index].op = .loss(.softmaxCrossEntropyLabels(prefix(labels), reduction))
            default: break
            }
        }
        return copy
    }
}

/// The elements of a row-major array of `shape` whose coordinates lie inside `target`
/// (each dimension of `target` at most that of `shape`).
func leadingBlock<T>(_ values: [T], _ shape: Shape, _ target: Shape) -> [T] {
    let strides = shape.strides
    return (0..<target.elementCount).map { flat in
        var rest = flat, offset = 0
        for axis in stride(from: target.rank - 1, through: 0, by: -1) {
            offset += (rest % target[axis]) * strides[axis]
            rest /= target[axis]
        }
        return values[offset]
    }
}
