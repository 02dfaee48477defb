// NumPy-style subscripts, read and assigned. Written with slice, gather, reshape, expand and
// select, so gradients flow back through their rules and no primitive of its own is needed.

extension Tensor {
    /// The elements that `indices` select, in the manner of NumPy and PyTorch; assigning
    /// through the subscript replaces them.
    ///
    /// Each entry indexes the next axis (a mask, the next as many axes as it has); axes
    /// left over are taken whole. See ``TensorIndex`` for what an entry may be.
    ///
    /// ```swift
    /// let x = Tensor.arange(to: 12).reshaped(to: [3, 4])
    /// x[1]                               // row 1, shape [4]
    /// x[-1, 2]                           // the last row's third element, shape []
    /// x[0..., 1..<3]                     // columns 1 and 2 of every row, shape [3, 2]
    /// x[stride(from: 2, through: 0, by: -1)]   // the rows reversed
    /// x[x .> 5]                          // the elements above 5, shape [6]
    /// x[Tensor([2, 0] as [Int32])]       // rows 2 and 0, shape [2, 4]
    /// ```
    ///
    /// Reading is differentiable: the gradient flows back to the selected elements (added
    /// up where an element is selected more than once). Assigning makes a new tensor, as
    /// every tensor is a value, and is differentiable with respect to both the old value
    /// (except the replaced elements) and the new elements:
    ///
    /// ```swift
    /// var y = x
    /// y[0..., 0] = Tensor(0)             // first column zeroed; the value broadcasts
    /// y[x .< 0] = -x[x .< 0]             // an absolute value
    /// ```
    ///
    /// The assigned value must have the tensor's element type and broadcast to the
    /// selection's shape, and an assignment may select each element only once. An index out
    /// of range, too many entries, a mask of the wrong shape or more than one tensor entry
    /// stops the program with the subscript, the axis and the shape.
    public subscript(_ indices: any TensorIndex...) -> Tensor {
        get { selecting(TensorSubscript(indices, leadingEllipsis: false, shape: shape)) }
        set { self = replacing(TensorSubscript(indices, leadingEllipsis: false, shape: shape), with: newValue) }
    }

    /// The elements that `indices` select along the last axes: `...` first stands for as many
    /// whole axes as the other entries leave, as NumPy's `Ellipsis` (`x[..., 0]` is the first
    /// element along the last axis of a tensor of any rank). Read and assigned as
    /// ``subscript(_:)-(TensorIndex...)``.
    public subscript(_ ellipsis: UnboundedRange, _ indices: any TensorIndex...) -> Tensor {
        get { selecting(TensorSubscript(indices, leadingEllipsis: true, shape: shape)) }
        set { self = replacing(TensorSubscript(indices, leadingEllipsis: true, shape: shape), with: newValue) }
    }

    /// The selection `s` of this tensor: one slice for the positions and ranges, one gather
    /// per stride, mask or index tensor, and a reshape that drops the indexed-out axes.
    func selecting(_ s: TensorSubscript) -> Tensor {
        var lower: [Int] = [], sizes: [Int] = [], sliced = false
        for (entry, start) in zip(s.entries, s.starts) {
            switch entry {
            case let .position(position):
                lower.append(position)
                sizes.append(1)
                sliced = true
            case let .range(from, count):
                lower.append(from)
                sizes.append(count)
                sliced = sliced || count != shape[start]
            default:
                for axis in start..<(start + entry.axisCount) {
                    lower.append(0)
                    sizes.append(shape[axis])
                }
            }
        }
        var result = sliced ? slice(lowerBounds: lower, sizes: sizes) : self
        // Last entry first, so the axes before each entry are still where they were.
        for (entry, start) in zip(s.entries, s.starts).reversed() {
            switch entry {
            case let .positions(positions): result = result.gather(indices: positions, axis: start)
            case let .indices(indices): result = result.gather(indices: indices, axis: start)
            case let .mask(positions, axes):
                let merged = result.shape.prefix(start).appending([result.shape.product(of: start..<(start + axes))])
                result = result.reshaped(to: merged.appending(result.shape.suffix(from: start + axes)))
                result = result.gather(indices: positions, axis: start)
            case .position, .range: break
            }
        }
        return result.shape == s.resultShape ? result : result.reshaped(to: s.resultShape)
    }

    /// This tensor with the selection `s` replaced by `values` (broadcast to the selection's
    /// shape): the new elements are gathered into place and picked by a mask.
    func replacing(_ s: TensorSubscript, with values: Tensor) -> Tensor {
        checkPrecondition(
            values.dtype == dtype,
            "subscript: cannot assign \(values.dtype) values to a \(dtype) tensor of shape \(shape); convert them with .cast(to: .\(dtype))")
        // Which element of `self` each selected element is: the selection of the positions.
        let count = elementCount
        let positions = Tensor(shape: shape, of: Int32.self) { for index in 0..<count { $0[index] = Int32(index) } }.selecting(s)
        guard let target = Shape.broadcast(values.shape, positions.shape), target == positions.shape else {
            preconditionFailed(
                "subscript: cannot assign values of shape \(values.shape) to the \(positions.shape) elements selected from shape \(shape)")
        }
        let selected = positions.elementCount
        if selected == 0 { return self }
        var source = [Int32](repeating: 0, count: count), covered = [Bool](repeating: false, count: count)
        positions.withUnsafeScalars(as: Int32.self) { positions in
            for (index, position) in positions.enumerated() {
                let element = Int(position)
                checkPrecondition(
                    !covered[element],
                    "subscript: the assignment selects element \(element) (row-major) of shape \(shape) twice; select each element once")
                covered[element] = true
                source[element] = Int32(index)
            }
        }
        let flat = values.expanded(to: target).reshaped(to: [selected])
        let placed = flat.gather(indices: Tensor(source, shape: [count])).reshaped(to: shape)
        return select(Tensor(covered, shape: shape), placed, self)
    }
}

/// A subscript resolved against a shape: what each entry selects, the axis where each
/// starts, and the shape of the result.
struct TensorSubscript {
    /// What one entry selects, checked against the axes it covers.
    enum Entry {
        /// One position, in range; the axis is dropped.
        case position(Int)
        /// `count` positions from `from`, in range.
        case range(from: Int, count: Int)
        /// Positions in range, in order.
        case positions([Int])
        /// int32 positions in range, any shape; the axis is replaced by that shape.
        case indices(Tensor)
        /// The row-major positions (int32, 1-d) of a mask's trues within the `axes` axes it
        /// covers, which become one.
        case mask(positions: Tensor, axes: Int)

        /// How many axes the entry covers.
        var axisCount: Int {
            if case let .mask(_, axes) = self { return axes }
            return 1
        }
    }

    let entries: [Entry]
    /// The first axis of each entry.
    let starts: [Int]
    let resultShape: Shape

    init(_ indices: [any TensorIndex], leadingEllipsis: Bool, shape: Shape) {
        let components = indices.map(\.tensorIndexComponent.kind)
        var covered = 0, tensors = 0
        for component in components {
            guard case let .tensor(tensor) = component else {
                covered += 1
                continue
            }
            tensors += 1
            covered += tensor.dtype == .bool ? tensor.rank : 1
        }
        checkPrecondition(
            tensors <= 1,
            "subscript: \(tensors) tensor entries (masks or index tensors) in one subscript; index with one tensor at a time")
        checkPrecondition(
            covered <= shape.rank, "subscript: \(components.count) entries cover \(covered) axes, but shape \(shape) has \(shape.rank)")
        var entries: [Entry] = [], starts: [Int] = [], result: [Int] = []
        func whole(_ axis: Int) {
            entries.append(.range(from: 0, count: shape[axis]))
            starts.append(axis)
            result.append(shape[axis])
        }
        if leadingEllipsis { (0..<(shape.rank - covered)).forEach(whole) }
        var axis = entries.count
        for component in components {
            let entry = Self.resolve(component, at: axis, of: shape)
            switch entry {
            case .position: break
            case let .range(_, count): result.append(count)
            case let .positions(positions): result.append(positions.count)
            case let .indices(indices): result += indices.shape.dimensions
            case let .mask(positions, _): result.append(positions.elementCount)
            }
            entries.append(entry)
            starts.append(axis)
            axis += entry.axisCount
        }
        (axis..<shape.rank).forEach(whole)
        self.entries = entries
        self.starts = starts
        checkPrecondition(result.count <= Shape.maximumRank, "subscript: the result would have \(result.count) dimensions, more than \(Shape.maximumRank)")
        self.resultShape = Shape(result)
    }

    /// Checks `component` against the axes of `shape` from `axis` on and resolves negative
    /// positions.
    private static func resolve(_ component: TensorIndexComponent.Kind, at axis: Int, of shape: Shape) -> Entry {
        let size = axis < shape.rank ? shape[axis] : 0  // past the last axis only for a 0-d mask, refused below
        func position(_ index: Int) -> Int {
            let resolved = index < 0 ? index + size : index
            checkPrecondition(
                resolved >= 0 && resolved < size, "subscript: index \(index) is out of range for axis \(axis) of size \(size) in shape \(shape)")
            return resolved
        }
        switch component {
        case let .position(index):
            return .position(position(index))
        case let .range(lower, upper, inclusive):
            let from = lower.map { $0 < 0 ? $0 + size : $0 } ?? 0
            let to = upper.map { ($0 < 0 ? $0 + size : $0) + (inclusive ? 1 : 0) } ?? size
            checkPrecondition(
                0 <= from && from <= to && to <= size,
                "subscript: range \(describe(lower, upper, inclusive)) is out of bounds for axis \(axis) of size \(size) in shape \(shape)")
            return .range(from: from, count: to - from)
        case let .positions(positions):
            return .positions(positions.map(position))
        case let .tensor(tensor) where tensor.dtype == .int32:
            let resolved = tensor.withUnsafeScalars(as: Int32.self) { $0.map { Int32(position(Int($0))) } }
            return .indices(Tensor(resolved, shape: tensor.shape))
        case let .tensor(tensor) where tensor.dtype == .bool:
            let axes = tensor.rank
            let covered = Shape((axis..<(axis + axes)).map { shape[$0] })
            checkPrecondition(
                axes >= 1 && tensor.shape == covered,
                "subscript: a mask of shape \(tensor.shape) must match the axes it covers, \(axis)..<\(axis + axes) of shape \(shape) ("
                    + "sizes \(covered))")
            let trues = tensor.withUnsafeScalars(as: Bool.self) { mask in mask.indices.filter { mask[$0] }.map(Int32.init) }
            return .mask(positions: Tensor(trues, shape: [trues.count]), axes: axes)
        case let .tensor(tensor):
            preconditionFailed(
                "subscript: a \(tensor.dtype) tensor of shape \(tensor.shape) cannot index; use an int32 tensor of positions or a bool mask")
        }
    }

    /// A range as it was written, for messages: `2..<7`, `(-2)...`, `..<3`.
    private static func describe(_ lower: Int?, _ upper: Int?, _ inclusive: Bool) -> String {
        let from = lower.map { $0 < 0 ? "(\($0))" : "\($0)" } ?? ""
        let to = upper.map { $0 < 0 ? "(\($0))" : "\($0)" } ?? ""
        return from + (inclusive || upper == nil ? "..." : "..<") + to
    }
}
