/// A lookup table of learned vectors: maps int32 indices of any shape to the rows of
/// ``weight`` they name, so `[batch, tokens]` indices give `[batch, tokens, embeddingSize]`.
///
/// The lookup is a gather, so the gradient of ``weight`` adds each output row's gradient
/// into the row it was read from (an index used twice gets both), and rows no index reads
/// get zero.
///
/// A ``paddingIndex`` (PyTorch's `padding_idx`) names a row that stands for padding: it
/// starts as zeros, the lookup still reads it, but it gets no gradient, so it stays what it
/// is while the other rows train.
///
/// ```swift
/// let embedding = Embedding(vocabularySize: 1000, embeddingSize: 16)
/// let tokens = Tensor([3, 14, 15, 92, 65, 35] as [Int32], shape: [2, 3])
/// let vectors = embedding(tokens)                    // [2, 3, 16]
/// let padded = Embedding(vocabularySize: 1000, embeddingSize: 16, paddingIndex: 0)
/// ```
public final class Embedding: Layer {
    /// The number of rows: indices must lie in `0..<vocabularySize`.
    public let vocabularySize: Int
    /// The length of each vector.
    public let embeddingSize: Int
    /// The `[vocabularySize, embeddingSize]` table.
    public let weight: Variable
    /// The row that stands for padding: zeros at first, read by the lookup, never given a
    /// gradient; nil when there is none.
    public let paddingIndex: Int?
    /// Not used by `Embedding`; kept so containers can set it.
    public var isTraining = true

    /// Creates an embedding table whose initial values are drawn from `generator`.
    ///
    /// - Parameters:
    ///   - vocabularySize: The number of rows (PyTorch's `num_embeddings`, Keras's `input_dim`).
    ///   - embeddingSize: The length of each row (`embedding_dim`, `output_dim`).
    ///   - initializer: Fills the table; standard normal by default, as in PyTorch (Keras
    ///     draws from U(−0.05, 0.05)).
    ///   - dtype: The element type of the table.
    ///   - paddingIndex: A row in `0..<vocabularySize` that stands for padding (zeros at
    ///     first, no gradient), or nil.
    ///   - generator: The source of random numbers.
    public init(
        vocabularySize: Int, embeddingSize: Int, initializer: Initializer = .normal(mean: 0, standardDeviation: 1),
        dtype: DType = .float32, paddingIndex: Int? = nil, generator: inout SeededGenerator
    ) {
        checkPrecondition(
            vocabularySize > 0 && embeddingSize > 0,
            "Embedding: vocabularySize and embeddingSize must be positive, got \(vocabularySize) and \(embeddingSize)")
        checkPrecondition(
            vocabularySize <= Int(Int32.max), "Embedding: vocabularySize \(vocabularySize) exceeds the int32 index range")
        checkPrecondition(dtype.isFloatingPoint, "Embedding: the table must be float32 or float64, got \(dtype)")
        if let paddingIndex {
            checkPrecondition(
                (0..<vocabularySize).contains(paddingIndex),
                "Embedding: paddingIndex \(paddingIndex) is out of range for vocabularySize \(vocabularySize); it must be in 0..<\(vocabularySize)")
        }
        self.vocabularySize = vocabularySize
        self.embeddingSize = embeddingSize
        self.paddingIndex = paddingIndex
        var table = initializer.makeTensor(shape: [vocabularySize, embeddingSize], dtype: dtype, using: &generator)
        if let paddingIndex { table[paddingIndex] = Tensor.zeros(shape: [embeddingSize], dtype: dtype) }
        weight = Variable(table, name: "weight")
    }

    /// Creates an embedding table whose initial values are fixed by `seed` (without one,
    /// the next seed of the process-wide sequence that layers share).
    ///
    /// - Parameters:
    ///   - vocabularySize: The number of rows.
    ///   - embeddingSize: The length of each row.
    ///   - initializer: Fills the table; standard normal by default.
    ///   - dtype: The element type of the table.
    ///   - paddingIndex: A row that stands for padding (zeros at first, no gradient), or nil.
    ///   - seed: Fixes the initial values.
    public convenience init(
        vocabularySize: Int, embeddingSize: Int, initializer: Initializer = .normal(mean: 0, standardDeviation: 1),
        dtype: DType = .float32, paddingIndex: Int? = nil, seed: UInt64? = nil
    ) {
        var generator = SeededGenerator(seed: seed ?? DefaultSeeds.next())
        self.init(
            vocabularySize: vocabularySize, embeddingSize: embeddingSize, initializer: initializer, dtype: dtype,
            paddingIndex: paddingIndex, generator: &generator)
    }

    /// The rows named by `indices` (int32, any shape, each in `0..<vocabularySize`): the
    /// result has the indices' shape followed by `embeddingSize`. Rows read through
    /// ``paddingIndex`` pass no gradient back.
    public func callAsFunction(_ indices: Tensor) -> Tensor {
        checkPrecondition(
            indices.dtype == .int32,
            "Embedding: indices must be int32, got \(indices.dtype) \(indices.shape); convert them with .cast(to: .int32)")
        checkPrecondition(
            indices.rank < Shape.maximumRank,
            "Embedding: indices of rank \(indices.rank) leave no room for the vector axis; at most \(Shape.maximumRank - 1) axes")
        let size = Int32(vocabularySize)
        let bad = indices.withUnsafeScalars(as: Int32.self) { $0.first { $0 < 0 || $0 >= size } }
        if let bad {
            preconditionFailed(
                "Embedding: index \(bad) is out of range for vocabularySize \(vocabularySize); indices must be in 0..<\(vocabularySize)")
        }
        let rows = weight.value.gather(indices: indices, axis: 0)
        guard let paddingIndex else { return rows }
        // The same values either way; only the rows of real tokens pass a gradient back.
        let isToken = (indices .!= Double(paddingIndex)).reshaped(to: Shape(indices.shape.dimensions + [1]))
        return select(isToken, rows, stopGradient(rows))
    }

    /// Takes int32 indices of any shape and gives that shape followed by `embeddingSize`,
    /// in the table's element type.
    public func outputSpec(for input: TensorSpec) throws(LayerInputError) -> TensorSpec? {
        guard input.dtype == .int32 else {
            throw LayerInputError(layer: "Embedding", problem: .dtype(expected: .int32, found: input.dtype))
        }
        return TensorSpec(shape: Shape(input.shape.dimensions + [embeddingSize]), dtype: weight.dtype)
    }
}
