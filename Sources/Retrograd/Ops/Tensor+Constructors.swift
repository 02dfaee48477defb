// Tensors made from a rule rather than from given elements: ranges, evenly spaced points, the
// identity matrix, one-hot rows. Constants: nothing here is recorded.

extension Tensor {
    /// The values `start`, `start + step`, `start + 2·step`, … that come before `end`, as
    /// NumPy's `arange`: `Tensor.arange(to: 4)` is `[0, 1, 2, 3]`.
    ///
    /// There are ⌈(end − start) / step⌉ elements (none when that is not positive); element `i`
    /// is `start + i·step` computed in `Double`, then rounded to `dtype`. For `int32`, `start`
    /// and `step` must be whole numbers.
    ///
    /// ```swift
    /// Tensor.arange(from: 1, to: 2, by: 0.25)          // [1, 1.25, 1.5, 1.75], float32
    /// Tensor.arange(to: 6, dtype: .int32)              // [0, 1, 2, 3, 4, 5]
    /// Tensor.arange(from: 3, to: 0, by: -1)            // [3, 2, 1]
    /// ```
    public static func arange(from start: Double = 0, to end: Double, by step: Double = 1, dtype: DType = .float32) -> Tensor {
        checkPrecondition(
            start.isFinite && end.isFinite && step.isFinite && step != 0,
            "arange: needs finite bounds and a nonzero finite step, got from \(start) to \(end) by \(step)")
        let span = ((end - start) / step).rounded(.up)
        checkPrecondition(
            span <= Double(Int32.max),
            "arange: from \(start) to \(end) by \(step) would make \(span) elements; take a larger step")
        let count = Swift.max(0, Int(span))
        if dtype == .int32 {
            checkPrecondition(
                start.rounded() == start && step.rounded() == step,
                "arange: int32 values need a whole start and step, got from \(start) by \(step); pass dtype .float32 for fractions")
        }
        return Tensor((0..<count).map { start + Double($0) * step }, dtype: dtype, op: "arange")
    }

    /// `count` evenly spaced values from `start` through `end`, both included, as NumPy's
    /// `linspace`: `Tensor.linspace(from: 0, through: 1, count: 5)` is
    /// `[0, 0.25, 0.5, 0.75, 1]`.
    ///
    /// Element `i` is `start + i·(end − start)/(count − 1)` computed in `Double`, and the last
    /// is `end` exactly; one point is `[start]`, zero points an empty tensor.
    public static func linspace(from start: Double, through end: Double, count: Int, dtype: DType = .float32) -> Tensor {
        checkPrecondition(count >= 0, "linspace: count must not be negative, got \(count)")
        checkPrecondition(start.isFinite && end.isFinite, "linspace: needs finite bounds, got \(start) through \(end)")
        let step = count > 1 ? (end - start) / Double(count - 1) : 0
        let values = (0..<count).map { $0 == count - 1 && count > 1 ? end : start + Double($0) * step }
        return Tensor(values, dtype: dtype, op: "linspace")
    }

    /// The identity matrix: `rows × columns` (square when `columns` is nil) with ones on
    /// the main diagonal and zeros elsewhere, as NumPy's `eye`.
    ///
    /// ```swift
    /// Tensor.eye(3)                        // 3 × 3 identity, float32
    /// Tensor.eye(2, columns: 3, dtype: .float64)
    /// ```
    public static func eye(_ rows: Int, columns: Int? = nil, dtype: DType = .float32) -> Tensor {
        let columns = columns ?? rows
        checkPrecondition(rows >= 0 && columns >= 0, "eye: sizes must not be negative, got \(rows) × \(columns)")
        var values = [Double](repeating: 0, count: rows * columns)
        for index in 0..<Swift.min(rows, columns) { values[index * columns + index] = 1 }
        return Tensor(values, shape: [rows, columns], dtype: dtype)
    }

    /// One row per label: zeros of `dtype` with a one at the label's class, as PyTorch's
    /// `one_hot`. The result has the shape of `labels` with `classes` appended.
    ///
    /// `labels` is an `int32` tensor of any shape whose elements lie in `0..<classes`.
    ///
    /// ```swift
    /// Tensor.oneHot(Tensor([2, 0] as [Int32]), classes: 3)   // [[0, 0, 1], [1, 0, 0]]
    /// ```
    public static func oneHot(_ labels: Tensor, classes: Int, dtype: DType = .float32) -> Tensor {
        checkPrecondition(
            labels.dtype == .int32,
            "oneHot: labels must be an int32 tensor, got \(labels.dtype) of shape \(labels.shape); convert with .cast(to: .int32)")
        checkPrecondition(classes >= 1, "oneHot: classes must be at least 1, got \(classes)")
        let bad = labels.withUnsafeScalars(as: Int32.self) { $0.first { $0 < 0 || Int($0) >= classes } }
        if let bad {
            preconditionFailed("oneHot: label \(bad) is outside 0..<\(classes) (labels of shape \(labels.shape))")
        }
        return oneHotRows(labels, classes: classes, dtype: dtype)
    }

    /// ``oneHot(_:classes:dtype:)`` without the checks, for the cross-entropy rule, whose
    /// labels were checked when the loss was computed.
    static func oneHotRows(_ labels: Tensor, classes: Int, dtype: DType) -> Tensor {
        let storage = TensorStorage.allocate(dtype, shape: labels.shape.appending([classes]))
        Kernels.fill(storage, 0)
        let width = dtype.byteSize
        labels.withUnsafeScalars(as: Int32.self) { labels in
            for (row, label) in labels.enumerated() {
                let element = storage.raw + (row * classes + Int(label)) * width
                switch dtype {
                case .float32: element.storeBytes(of: 1, as: Float.self)
                case .float64: element.storeBytes(of: 1, as: Double.self)
                case .int32: element.storeBytes(of: 1, as: Int32.self)
                case .bool: element.storeBytes(of: 1, as: UInt8.self)
                }
            }
        }
        return Tensor(storage: storage)
    }

    /// A 1-d tensor of `values` in `dtype`, for a constructor named `op`: bool has no
    /// ranges, and int32 values must be whole numbers in range.
    private init(_ values: [Double], dtype: DType, op: String) {
        checkPrecondition(dtype != .bool, "\(op): makes numbers, not bool; compare the result instead, for example .> 0")
        if dtype == .int32, let bad = values.first(where: { Int32(exactly: $0) == nil }) {
            preconditionFailed("\(op): \(bad) does not fit int32; pass dtype .float32 or .float64")
        }
        self.init(values, dtype: dtype)
    }
}
