/// The dimensions of a tensor, outermost first (row-major).
///
/// A `Shape` is written like an array: `[2, 3]` is two rows of three. The empty shape
/// `[]` is a scalar (0-d tensor).
///
/// A shape holds at most ``maximumRank`` (8) dimensions of at most `Int32.max` each, stored
/// inline: making, copying and comparing a shape allocates nothing and needs no reference
/// counting, which is what keeps small-tensor ops cheap. (The element count is an `Int` and
/// may exceed `Int32.max`.)
public struct Shape: Hashable, Sendable, RandomAccessCollection, MutableCollection, ExpressibleByArrayLiteral,
    CustomStringConvertible
{
    /// The most dimensions a shape (and so a tensor) can have.
    public static let maximumRank = 8

    /// The dimensions; entries past `count` are 0.
    @usableFromInline var sizes: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32) = (0, 0, 0, 0, 0, 0, 0, 0)
    @usableFromInline var count: UInt8 = 0

    /// Creates a shape from its dimension sizes.
    @inlinable public init(_ dimensions: [Int]) {
        self.init(rank: dimensions.count) { dimensions[$0] }
    }

    /// The shape with these dimensions, or nil when a tensor cannot have it: more than
    /// ``maximumRank`` dimensions, or a dimension below 0 or above `Int32.max`. For sizes
    /// read from files, which must be refused with an error rather than stop the program.
    public init?(checking dimensions: [Int]) {
        guard dimensions.count <= Self.maximumRank, dimensions.allSatisfy({ (0...Int(Int32.max)).contains($0) }) else {
            return nil
        }
        self.init(dimensions)
    }

    /// What ``init(checking:)`` accepts, for error messages.
    public static let limitsDescription =
        "at most \(maximumRank) dimensions of at most \(Int32.max) each"

    // Inlinable, so that the array a literal makes stays on the stack.
    @inlinable public init(arrayLiteral elements: Int...) { self.init(elements) }

    /// The scalar shape `[]`.
    public init() {}

    /// A shape of `rank` dimensions whose dimension `axis` is `size(axis)`, made without an
    /// intermediate array.
    @inlinable init(rank: Int, _ size: (Int) -> Int) {
        checkPrecondition(
            rank <= Self.maximumRank,
            "Shape: \(rank) dimensions, but tensors have at most \(Self.maximumRank); merge axes first")
        count = UInt8(rank)
        withUnsafeMutableBytes(of: &sizes) { raw in
            let dims = raw.baseAddress!.assumingMemoryBound(to: Int32.self)
            for axis in 0..<rank {
                let value = size(axis)
                checkPrecondition(
                    value <= Int(Int32.max) && value >= Int(Int32.min),
                    "Shape: dimension \(axis) of size \(value) exceeds the largest dimension, \(Int32.max)")
                dims[axis] = Int32(truncatingIfNeeded: value)
            }
        }
    }

    @inlinable public static func == (lhs: Shape, rhs: Shape) -> Bool {
        // Unused entries are 0 on both sides, so all eight can be compared.
        let (a, b) = (lhs.sizes, rhs.sizes)
        return lhs.count == rhs.count && a.0 == b.0 && a.1 == b.1 && a.2 == b.2 && a.3 == b.3
            && a.4 == b.4 && a.5 == b.5 && a.6 == b.6 && a.7 == b.7
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for axis in 0..<rank { hasher.combine(self[axis]) }
    }

    /// The sizes of the dimensions.
    public var dimensions: [Int] {
        get { (0..<rank).map { self[$0] } }
        set { self = Shape(newValue) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { rank }

    /// The size of dimension `position`.
    @inlinable public subscript(position: Int) -> Int {
        get {
            if _slowPath(position < 0 || position >= rank) { Shape.positionOutOfRange(position, self) }
            return withUnsafeBytes(of: sizes) { Int($0.load(fromByteOffset: position * 4, as: Int32.self)) }
        }
        set {
            if _slowPath(position < 0 || position >= rank) { Shape.positionOutOfRange(position, self) }
            let old = self
            self = Shape(rank: rank) { $0 == position ? newValue : old[$0] }
        }
    }

    /// Stops with the message for a dimension index outside `shape`; kept out of line so the
    /// subscript stays small enough to inline.
    @usableFromInline @inline(never)
    static func positionOutOfRange(_ position: Int, _ shape: Shape) -> Never {
        preconditionFailed("Shape: index \(position) is out of range for shape \(shape)")
    }

    /// The number of dimensions.
    @inlinable public var rank: Int { Int(count) }

    /// The number of elements: the product of the dimensions (1 for a scalar).
    @inlinable public var elementCount: Int {
        withUnsafeBytes(of: sizes) { raw in
            var product = 1
            for axis in 0..<Int(count) { product *= Int(raw.load(fromByteOffset: axis * 4, as: Int32.self)) }
            return product
        }
    }

    public var description: String { "[" + dimensions.map(String.init).joined(separator: ", ") + "]" }

    // Building shapes from shapes, without arrays.

    /// The product of the dimensions in `axes` (1 when empty).
    @inline(__always) func product(of axes: Range<Int>) -> Int {
        var result = 1
        for axis in axes { result *= self[axis] }
        return result
    }

    /// The first `count` dimensions.
    func prefix(_ count: Int) -> Shape { Shape(rank: count) { self[$0] } }

    /// The dimensions from `start` on.
    func suffix(from start: Int) -> Shape { Shape(rank: rank - start) { self[start + $0] } }

    /// The dimensions of `self`, then those of `other`.
    func appending(_ other: Shape) -> Shape {
        Shape(rank: rank + other.rank) { $0 < rank ? self[$0] : other[$0 - rank] }
    }

    /// This shape with dimension `axis` set to `size`.
    func replacing(_ axis: Int, with size: Int) -> Shape {
        Shape(rank: rank) { $0 == axis ? size : self[$0] }
    }

    /// This shape with the given axes set to 1 (what `keepingDimensions` produces).
    func keeping(_ axes: [Int]) -> Shape {
        Shape(rank: rank) { axes.contains($0) ? 1 : self[$0] }
    }

    /// This shape without the given axes (distinct, in range).
    func removing(_ axes: [Int]) -> Shape {
        var result = Shape()
        for axis in 0..<rank where !axes.contains(axis) { result.append(self[axis]) }
        return result
    }

    /// Adds a dimension at the end.
    mutating func append(_ size: Int) {
        let old = self
        self = Shape(rank: rank + 1) { $0 < old.rank ? old[$0] : size }
    }

    /// Row-major strides in elements.
    var strides: [Int] { (0..<rank).map(stride(of:)) }

    /// The row-major stride of `axis`: the product of the dimensions after it.
    @inline(__always) func stride(of axis: Int) -> Int {
        var running = 1
        var later = rank - 1
        while later > axis {
            running *= self[later]
            later -= 1
        }
        return running
    }

    /// Strides for reading a tensor of this shape as if it had `target`'s shape under
    /// NumPy broadcasting: 0 on broadcast axes. `target` must be broadcast-compatible.
    func broadcastStrides(to target: Shape) -> [Int] {
        (0..<target.rank).map { broadcastStride(of: $0, in: target) }
    }

    /// The stride of `target`'s axis `axis` when this shape is broadcast to `target`.
    @inline(__always) func broadcastStride(of axis: Int, in target: Shape) -> Int {
        let mine = axis - (target.rank - rank)
        if mine < 0 || self[mine] == 1 { return 0 }
        return stride(of: mine)
    }

    /// The NumPy broadcast of two shapes (NumPy's `broadcast_shapes`), or nil when they
    /// are incompatible: dimensions are matched from the last, and each pair must be equal
    /// or contain a 1.
    public static func broadcast(_ a: Shape, _ b: Shape) -> Shape? {
        if a == b { return a }
        let rank = Swift.max(a.rank, b.rank)
        var compatible = true
        let result = Shape(rank: rank) { axis in
            let da = axis - (rank - a.rank) >= 0 ? a[axis - (rank - a.rank)] : 1
            let db = axis - (rank - b.rank) >= 0 ? b[axis - (rank - b.rank)] : 1
            if da == db || db == 1 { return da }
            if da == 1 { return db }
            compatible = false
            return 0
        }
        return compatible ? result : nil
    }

    /// Resolves a possibly negative axis for an op, stopping with a message naming it.
    func normalize(axis: Int, op: String) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        checkPrecondition(resolved >= 0 && resolved < rank, "\(op): axis \(axis) is out of range for shape \(self)")
        return resolved
    }

    /// Resolves a list of axes (nil means all), sorted and without repeats.
    func normalize(axes: [Int]?, op: String) -> [Int] {
        guard let axes else { return Array(0..<rank) }
        if axes.count == 1, axes[0] >= 0, axes[0] < rank { return axes }  // one axis, already resolved
        var resolved = axes.map { normalize(axis: $0, op: op) }
        resolved.sort()
        for index in resolved.indices.dropFirst() {
            checkPrecondition(resolved[index - 1] != resolved[index], "\(op): axes \(axes) repeat an axis of shape \(self)")
        }
        return resolved
    }
}
