import CRetrogradKernels

/// The one route from Swift into the numeric C kernels (CRetrogradKernels): allocate the
/// output, pass shapes and strides. Ops call these; nothing here records on a tape, and no
/// other Swift file of the library calls C (the runtime support is in `Runtime.swift`).
enum Kernels {
    /// Unary elementwise functions of floating-point tensors.
    enum Unary {
        case neg, reciprocal, exp, log, sin, cos, sqrt, tanh, sigmoid, erf, softplus

        fileprivate var code: rg_unary_op {
            switch self {
            case .neg: RG_NEG
            case .reciprocal: RG_RECIPROCAL
            case .exp: RG_EXP
            case .log: RG_LOG
            case .sin: RG_SIN
            case .cos: RG_COS
            case .sqrt: RG_SQRT
            case .tanh: RG_TANH
            case .sigmoid: RG_SIGMOID
            case .erf: RG_ERF
            case .softplus: RG_SOFTPLUS
            }
        }
    }

    /// Binary elementwise functions of floating-point tensors.
    enum Binary {
        case add, sub, mul, div, pow, maximum

        fileprivate var code: rg_binary_op {
            switch self {
            case .add: RG_ADD
            case .sub: RG_SUB
            case .mul: RG_MUL
            case .div: RG_DIV
            case .pow: RG_POW
            case .maximum: RG_MAXIMUM
            }
        }
    }

    /// Elementwise comparisons; the result is a bool tensor.
    enum Comparison {
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual

        fileprivate var code: rg_compare_op {
            switch self {
            case .equal: RG_EQ
            case .notEqual: RG_NE
            case .less: RG_LT
            case .lessOrEqual: RG_LE
            case .greater: RG_GT
            case .greaterOrEqual: RG_GE
            }
        }
    }

    /// Reductions over axes.
    enum Reduction {
        case sum, max

        fileprivate var code: rg_reduce_op { self == .sum ? RG_REDUCE_SUM : RG_REDUCE_MAX }
    }

    /// Calls `body` with the index space `shape` as the kernels take it (a 0-d shape is one
    /// element) and the strides of up to three operands of shapes `a`, `b`, `c` broadcast
    /// over it, all in one buffer on the stack: no array is allocated.
    @inline(__always)
    private static func withLayout<Result>(
        _ shape: Shape, _ a: Shape, _ b: Shape, _ c: Shape = Shape(),
        _ body: (
            _ dims: UnsafePointer<Int64>, _ a: UnsafePointer<Int64>, _ b: UnsafePointer<Int64>,
            _ c: UnsafePointer<Int64>, _ rank: Int32
        ) -> Result
    ) -> Result {
        // Shapes have at most Shape.maximumRank dimensions, what the kernels' index arrays hold.
        assert(Shape.maximumRank <= Int(RG_MAX_DIMS))
        let rank = Swift.max(shape.rank, 1)
        return withUnsafeTemporaryAllocation(of: Int64.self, capacity: 4 * rank) { buffer in
            let p = buffer.baseAddress!
            if shape.rank == 0 {
                (p[0], p[1], p[2], p[3]) = (1, 0, 0, 0)
            } else {
                for axis in 0..<rank {
                    p[axis] = Int64(shape[axis])
                    p[rank + axis] = Int64(a.broadcastStride(of: axis, in: shape))
                    p[2 * rank + axis] = Int64(b.broadcastStride(of: axis, in: shape))
                    p[3 * rank + axis] = Int64(c.broadcastStride(of: axis, in: shape))
                }
            }
            return body(p, p + rank, p + 2 * rank, p + 3 * rank, Int32(rank))
        }
    }

    static func unary(_ op: Unary, _ x: Tensor) -> TensorStorage {
        let out = TensorStorage.allocate(x.dtype, shape: x.shape)
        let width = x.dtype.byteSize, code = op.code
        withExtendedLifetime(x.storage) {
            let (input, output) = (x.storage.raw, out.raw)
            Parallel.forEachChunk(of: x.elementCount) { start, count in
                rg_unary(x.dtype.kernelType, code, input + start * width, output + start * width, Int64(count))
            }
        }
        return out
    }

    static func binary(_ op: Binary, _ a: Tensor, _ b: Tensor, shape: Shape) -> TensorStorage {
        let out = TensorStorage.allocate(a.dtype, shape: shape)
        let code = op.code
        if a.elementCount == 1 && b.elementCount == 1 {
            // The operands are the caller's, alive for the whole call.
            rg_binary_scalar(a.dtype.kernelType, code, a.storage.raw, b.storage.raw, out.raw)
            return out
        }
        let count = shape.elementCount, width = a.dtype.byteSize
        // Each operand either fills the output's shape or is one repeated element: the work
        // is one flat run and can be split across the cores.
        if count >= Parallel.minimumCount, [a, b].allSatisfy({ $0.elementCount == count || $0.elementCount == 1 }) {
            let stride = [a, b].map { Int64($0.elementCount == 1 ? 0 : 1) }
            withExtendedLifetime((a.storage, b.storage)) {
                let (pa, pb, po) = (a.storage.raw, b.storage.raw, out.raw)
                Parallel.forEachChunk(of: count) { start, chunk in
                    var sa = stride[0], sb = stride[1], n = Int64(chunk)
                    rg_binary(
                        a.dtype.kernelType, code, pa + Int(sa) * start * width, &sa, pb + Int(sb) * start * width, &sb,
                        po + start * width, &n, 1)
                }
            }
            return out
        }
        withLayout(shape, a.shape, b.shape) { dims, sa, sb, _, rank in
            rg_binary(a.dtype.kernelType, code, a.storage.raw, sa, b.storage.raw, sb, out.raw, dims, rank)
        }
        return out
    }

    static func compare(_ op: Comparison, _ a: Tensor, _ b: Tensor, shape: Shape) -> TensorStorage {
        let out = TensorStorage.allocate(.bool, shape: shape)
        withLayout(shape, a.shape, b.shape) { dims, sa, sb, _, rank in
            rg_compare(
                a.dtype.kernelType, op.code, a.storage.raw, sa, b.storage.raw, sb,
                out.raw.assumingMemoryBound(to: UInt8.self), dims, rank)
        }
        return out
    }

    static func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor, shape: Shape) -> TensorStorage {
        let out = TensorStorage.allocate(a.dtype, shape: shape)
        withLayout(shape, a.shape, b.shape, condition.shape) { dims, sa, sb, sc, rank in
            rg_select(
                a.dtype.kernelType, condition.storage.raw.assumingMemoryBound(to: UInt8.self), sc,
                a.storage.raw, sa, b.storage.raw, sb, out.raw, dims, rank)
        }
        return out
    }

    static func reduce(_ op: Reduction, _ x: Tensor, axes: [Int], into shape: Shape) -> TensorStorage {
        let out = TensorStorage.allocate(x.dtype, shape: shape)
        withLayout(x.shape, Shape(), Shape()) { dims, _, _, _, rank in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(rank)) { mask in
                mask.initialize(repeating: 0)
                for axis in axes { mask[axis] = 1 }
                rg_reduce(x.dtype.kernelType, op.code, x.storage.raw, dims, mask.baseAddress!, rank, out.raw)
            }
        }
        return out
    }

    /// log softmax of `x` along `axis`.
    static func logSoftmax(_ x: Tensor, axis: Int) -> TensorStorage {
        let shape = x.shape
        let out = TensorStorage.allocate(x.dtype, shape: shape)
        rg_log_softmax(
            x.dtype.kernelType, x.storage.raw, Int64(shape.product(of: 0..<axis)), Int64(shape[axis]),
            Int64(shape.product(of: (axis + 1)..<shape.rank)), out.raw)
        return out
    }

    /// The softmax cross-entropy of each row of `logits` (`[rows, classes]`) with its int32
    /// label (each in `0..<classes`), as a `[rows]` storage.
    static func softmaxCrossEntropy(_ logits: Tensor, labels: Tensor) -> TensorStorage {
        let (rows, classes) = (logits.shape[0], logits.shape[1])
        let out = TensorStorage.allocate(logits.dtype, shape: [rows])
        rg_softmax_cross_entropy(
            logits.dtype.kernelType, logits.storage.raw, Int64(rows), Int64(classes),
            labels.storage.raw.assumingMemoryBound(to: Int32.self), out.raw)
        return out
    }

    /// Copies `source` read with `sourceStrides` (and offset) over the index space
    /// `shape` into `destination` written with `destinationStrides` (and offset).
    static func copy(
        _ source: TensorStorage, sourceOffset: Int = 0, strides sourceStrides: [Int],
        into destination: TensorStorage, destinationOffset: Int = 0, strides destinationStrides: [Int],
        shape: Shape
    ) {
        guard shape.elementCount > 0 else { return }
        let size = source.dtype.byteSize
        withLayout(shape, Shape(), Shape()) { dims, _, _, _, rank in
            withUnsafeTemporaryAllocation(of: Int64.self, capacity: 2 * Int(rank)) { strides in
                let (ss, ds) = (strides.baseAddress!, strides.baseAddress! + Int(rank))
                if shape.rank == 0 {
                    (ss[0], ds[0]) = (0, 0)
                } else {
                    for axis in 0..<shape.rank {
                        (ss[axis], ds[axis]) = (Int64(sourceStrides[axis]), Int64(destinationStrides[axis]))
                    }
                }
                rg_copy_strided(
                    size, source.raw + sourceOffset * size, ss, destination.raw + destinationOffset * size, ds, dims, rank)
            }
        }
    }

    static func cast(_ x: Tensor, to dtype: DType) -> TensorStorage {
        let out = TensorStorage.allocate(dtype, shape: x.shape)
        withExtendedLifetime(x.storage) {
            rg_cast(x.dtype.kernelType, x.storage.raw, dtype.kernelType, out.raw, Int64(x.elementCount))
        }
        return out
    }

    /// Sets every element of `storage` to `value` (converted to its element type).
    static func fill(_ storage: TensorStorage, _ value: Double) {
        let raw = storage.raw
        switch storage.dtype {
        case .float32 where storage.count == 1: raw.storeBytes(of: Float(value), as: Float.self)
        case .float64 where storage.count == 1: raw.storeBytes(of: value, as: Double.self)
        default: rg_fill(storage.dtype.kernelType, raw, value, Int64(storage.count))
        }
    }

    /// Picks slices of `source` (`[outer, axisSize, inner]`) by `indices` (int32, each in
    /// `0..<axisSize`) into `[outer, indices.elementCount, inner]`.
    static func gather(_ source: Tensor, outer: Int, axisSize: Int, inner: Int, indices: Tensor, into shape: Shape) -> TensorStorage {
        let out = TensorStorage.allocate(source.dtype, shape: shape)
        withExtendedLifetime((source.storage, indices.storage)) {
            rg_gather(
                source.dtype.byteSize, source.storage.raw, Int64(outer), Int64(axisSize), Int64(inner),
                indices.storage.raw.assumingMemoryBound(to: Int32.self), Int64(indices.elementCount), out.raw)
        }
        return out
    }

    /// The adjoint of ``gather(_:outer:axisSize:inner:indices:into:)``: zeros of
    /// `[outer, axisSize, inner]` (laid out as `shape`) with each slice of `source` added at
    /// its index.
    static func scatterAdd(
        _ source: Tensor, outer: Int, inner: Int, indices: Tensor, axisSize: Int, into shape: Shape
    ) -> TensorStorage {
        let out = TensorStorage.allocate(source.dtype, shape: shape)
        fill(out, 0)
        withExtendedLifetime((source.storage, indices.storage)) {
            rg_scatter_add(
                source.dtype.kernelType, source.storage.raw, Int64(outer), Int64(indices.elementCount), Int64(inner),
                indices.storage.raw.assumingMemoryBound(to: Int32.self), Int64(axisSize), out.raw)
        }
        return out
    }

    /// The matrix products `out[i] = op(a[i]) · op(b[i])` of `m×k` by `k×n` row-major blocks
    /// laid out one after the other, through BLAS when one is loaded; `shape` is the
    /// result's, `[…batch, m, n]`.
    static func gemm(
        _ a: Tensor, _ b: Tensor, transposingA: Bool, transposingB: Bool, m: Int, n: Int, k: Int, into shape: Shape
    ) -> TensorStorage {
        let out = TensorStorage.allocate(a.dtype, shape: shape)
        let count = shape.elementCount / Swift.max(m * n, 1)
        do {
            let size = a.dtype.byteSize
            for index in 0..<count {
                rg_gemm(
                    a.dtype.kernelType, transposingA ? 1 : 0, transposingB ? 1 : 0, Int64(m), Int64(n), Int64(k), 1,
                    a.storage.raw + index * m * k * size, Int64(transposingA ? m : k),
                    b.storage.raw + index * k * n * size, Int64(transposingB ? k : n), 0,
                    out.raw + index * m * n * size, Int64(n))
            }
        }
        return out
    }

    /// `x · weight + bias` for `x` `[m, k]`, `weight` `[k, n]`, `bias` `[n]`: the bias is
    /// written into every row first and the product added onto it (GEMM with β = 1).
    static func linear(_ x: Tensor, _ weight: Tensor, _ bias: Tensor) -> TensorStorage {
        let (m, k, n) = (x.shape[0], x.shape[1], weight.shape[1])
        let out = TensorStorage.allocate(x.dtype, shape: [m, n])
        let width = x.dtype.byteSize
        for row in 0..<m { (out.raw + row * n * width).copyMemory(from: bias.storage.raw, byteCount: n * width) }
        rg_gemm(
            x.dtype.kernelType, 0, 0, Int64(m), Int64(n), Int64(k), 1, x.storage.raw, Int64(k), weight.storage.raw,
            Int64(n), 1, out.raw, Int64(n))
        return out
    }

    /// The index of the first NaN or infinity among `elementCount − start` elements of a
    /// floating-point tensor's storage from `start` on, or nil when all are finite.
    static func firstNonfinite(_ storage: TensorStorage, from start: Int) -> Int? {
        let dtype = storage.dtype
        let found = withExtendedLifetime(storage) {
            rg_first_nonfinite(dtype.kernelType, storage.raw + start * dtype.byteSize, Int64(storage.count - start))
        }
        return found < 0 ? nil : start + Int(found)
    }

    /// The BLAS in use, for example "OpenBLAS (libopenblas.so.0)", or the fallback.
    static var matrixBackend: String { String(cString: rg_blas_backend()) }
}

extension DType {
    /// The kernels' code for this element type.
    var kernelType: rg_dtype {
        switch self {
        case .float32: RG_FLOAT32
        case .float64: RG_FLOAT64
        case .int32: RG_INT32
        case .bool: RG_BOOL
        }
    }
}
