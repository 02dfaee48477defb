/// The dimensions of a tensor, outermost first (row-major).
///
/// A `Shape` is written like an array: `[2, 3]` is two rows of three. The empty shape
/// `[]` is a scalar (0-d tensor).
public struct Shape: Hashable, Sendable, RandomAccessCollection, ExpressibleByArrayLiteral,
    CustomStringConvertible
{
    /// The sizes of the dimensions.
    public var dimensions: [Int]

    /// Creates a shape from its dimension sizes.
    public init(_ dimensions: [Int]) { self.dimensions = dimensions }
    public init(arrayLiteral elements: Int...) { self.dimensions = elements }

    public var startIndex: Int { 0 }
    public var endIndex: Int { dimensions.count }
    public subscript(position: Int) -> Int {
        get { dimensions[position] }
        set { dimensions[position] = newValue }
    }

    /// The number of dimensions.
    public var rank: Int { dimensions.count }
    /// The number of elements: the product of the dimensions (1 for a scalar).
    public var elementCount: Int { dimensions.reduce(1, *) }

    public var description: String { "[" + dimensions.map(String.init).joined(separator: ", ") + "]" }

    /// Row-major strides in elements.
    var strides: [Int] {
        var result = [Int](repeating: 1, count: rank)
        var running = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            result[axis] = running
            running *= dimensions[axis]
        }
        return result
    }

    /// Strides for reading a tensor of this shape as if it had `target`'s shape under
    /// NumPy broadcasting: 0 on broadcast axes. `target` must be broadcast-compatible.
    func broadcastStrides(to target: Shape) -> [Int] {
        let own = strides
        let offset = target.rank - rank
        return (0..<target.rank).map { axis in
            let mine = axis - offset
            if mine < 0 || dimensions[mine] == 1 { return 0 }
            return own[mine]
        }
    }

    /// The NumPy broadcast of two shapes (NumPy's `broadcast_shapes`), or nil when they
    /// are incompatible: dimensions are matched from the last, and each pair must be equal
    /// or contain a 1.
    public static func broadcast(_ a: Shape, _ b: Shape) -> Shape? {
        if a == b { return a }
        let rank = Swift.max(a.rank, b.rank)
        var dims = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let da = axis - (rank - a.rank) >= 0 ? a[axis - (rank - a.rank)] : 1
            let db = axis - (rank - b.rank) >= 0 ? b[axis - (rank - b.rank)] : 1
            if da == db || db == 1 { dims[axis] = da } else if da == 1 { dims[axis] = db } else { return nil }
        }
        return Shape(dims)
    }

    /// Resolves a possibly negative axis for an op, stopping with a message naming it.
    func normalize(axis: Int, op: String) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        precondition(resolved >= 0 && resolved < rank, "\(op): axis \(axis) is out of range for shape \(self)")
        return resolved
    }

    /// Resolves a list of axes (nil means all), sorted and without repeats.
    func normalize(axes: [Int]?, op: String) -> [Int] {
        guard let axes else { return Array(0..<rank) }
        let resolved = axes.map { normalize(axis: $0, op: op) }
        precondition(Set(resolved).count == resolved.count, "\(op): axes \(axes) repeat an axis of shape \(self)")
        return resolved.sorted()
    }
}
