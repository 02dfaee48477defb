// What may stand between the brackets of a tensor subscript: integers, the Swift range
// types, strides and tensors (bool masks or int32 indices).

/// One entry of a tensor subscript, `x[i, j, …]`: what it selects along the axes it covers.
///
/// Retrograd's conformances are the whole set:
///
/// | entry | selects | the axis |
/// |---|---|---|
/// | `Int` (`2`, `-1`) | one position; negative counts from the end | is dropped |
/// | `Range<Int>`, `ClosedRange<Int>`, `PartialRangeFrom<Int>`, `PartialRangeUpTo<Int>`, `PartialRangeThrough<Int>` (`1..<3`, `(-2)...`, `..<2`) | a block; negative bounds count from the end | keeps the block's length |
/// | `StrideTo<Int>`, `StrideThrough<Int>` (`stride(from: 0, to: 9, by: 2)`) | the positions the stride yields, in its order; negative ones count from the end | keeps their count |
/// | `Tensor` of `bool` (a mask) | the positions where the mask is true, over as many axes as the mask has | those axes become one, of the number of trues |
/// | `Tensor` of `int32` | the positions it holds; negative count from the end | is replaced by the index tensor's shape |
///
/// A type of your own conforms by handing back one of these entries' components.
public protocol TensorIndex {
    /// What this entry selects, as the subscript reads it.
    var tensorIndexComponent: TensorIndexComponent { get }
}

/// What one subscript entry selects: a position, a range, a list of positions or a tensor.
/// Only Retrograd's own ``TensorIndex`` conformances make these.
public struct TensorIndexComponent {
    enum Kind {
        /// One position (negative from the end); the axis is dropped.
        case position(Int)
        /// `lower..<upper` (or through `upper` when `inclusive`); a nil bound is open,
        /// a negative one counts from the end.
        case range(lower: Int?, upper: Int?, inclusive: Bool)
        /// The positions of a stride, in order (negative from the end).
        case positions([Int])
        /// A bool mask or int32 indices.
        case tensor(Tensor)
    }

    let kind: Kind

    init(_ kind: Kind) { self.kind = kind }
}

extension Int: TensorIndex {
    /// One position along the axis, which the result drops.
    public var tensorIndexComponent: TensorIndexComponent { .init(.position(self)) }
}

extension Range: TensorIndex where Bound == Int {
    /// The positions `lowerBound..<upperBound`.
    public var tensorIndexComponent: TensorIndexComponent { .init(.range(lower: lowerBound, upper: upperBound, inclusive: false)) }
}

extension ClosedRange: TensorIndex where Bound == Int {
    /// The positions `lowerBound...upperBound`.
    public var tensorIndexComponent: TensorIndexComponent { .init(.range(lower: lowerBound, upper: upperBound, inclusive: true)) }
}

extension PartialRangeFrom: TensorIndex where Bound == Int {
    /// The positions from `lowerBound` to the end of the axis (`0...` is the whole axis).
    public var tensorIndexComponent: TensorIndexComponent { .init(.range(lower: lowerBound, upper: nil, inclusive: false)) }
}

extension PartialRangeUpTo: TensorIndex where Bound == Int {
    /// The positions before `upperBound`.
    public var tensorIndexComponent: TensorIndexComponent { .init(.range(lower: nil, upper: upperBound, inclusive: false)) }
}

extension PartialRangeThrough: TensorIndex where Bound == Int {
    /// The positions up to and including `upperBound`.
    public var tensorIndexComponent: TensorIndexComponent { .init(.range(lower: nil, upper: upperBound, inclusive: true)) }
}

extension StrideTo: TensorIndex where Element == Int {
    /// The positions the stride yields, in its order (a negative step reverses).
    public var tensorIndexComponent: TensorIndexComponent { .init(.positions(Array(self))) }
}

extension StrideThrough: TensorIndex where Element == Int {
    /// The positions the stride yields, in its order (a negative step reverses).
    public var tensorIndexComponent: TensorIndexComponent { .init(.positions(Array(self))) }
}

extension Tensor: TensorIndex {
    /// A bool tensor is a mask over as many axes as it has; an int32 tensor lists positions
    /// along one axis.
    public var tensorIndexComponent: TensorIndexComponent { .init(.tensor(self)) }
}
