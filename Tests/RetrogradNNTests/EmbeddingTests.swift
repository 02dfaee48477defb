import Testing
@testable import RetrogradNN
import RetrogradTestSupport

// Embedding: rows picked by int32 indices of any shape, and a gradient that adds the
// gradients of repeated indices into one row.

/// A 4 × 2 table with rows [10r, 10r + 1].
private func table() -> Embedding {
    let layer = Embedding(vocabularySize: 4, embeddingSize: 2, dtype: .float64, seed: 1)
    layer.weight.assign(doubles([0, 1, 10, 11, 20, 21, 30, 31], shape: [4, 2]))
    return layer
}

@Suite struct EmbeddingTests {
    @Test func indicesOfAnyShapePickRows() {
        let layer = table()
        let y = layer(Tensor([3, 0, 2, 2, 1, 3] as [Int32], shape: [2, 3]))
        #expect(y.shape == [2, 3, 2])
        #expect(values(y) == [30, 31, 0, 1, 20, 21, 20, 21, 10, 11, 30, 31])
        let scalar = layer(Tensor([2] as [Int32], shape: []))
        #expect(scalar.shape == [2])
        #expect(values(scalar) == [20, 21])
    }

    /// Σ wᵢ·embedding(indices) with per-position weights: row r's gradient is the sum of
    /// the weights of the positions that read r; unread rows get zero.
    @Test func theGradientAddsUpRepeatedIndices() throws {
        let layer = table()
        let indices = Tensor([1, 3, 1, 1] as [Int32], shape: [4])
        let weights = doubles([1, 2, 3, 4, 5, 6, 7, 8], shape: [4, 2])
        let tape = GradientTape()
        let loss = tape.record { (layer(indices) * weights).sum() }
        let gradient = try tape.gradient(of: loss, wrt: layer.weight)
        // Row 1: positions 0, 2, 3 → [1 + 5 + 7, 2 + 6 + 8]; row 3: position 1 → [3, 4].
        #expect(values(gradient) == [0, 0, 13, 16, 0, 0, 3, 4])
    }

    /// With paddingIndex 1: row 1 starts as zeros (the others as drawn), the lookup reads
    /// it, and the loss Σ wᵢ·embedding(indices) gives it no gradient while row 3 gets its
    /// positions' weights, as without padding.
    @Test func thePaddingRowStartsAtZeroAndGetsNoGradient() throws {
        let layer = Embedding(vocabularySize: 4, embeddingSize: 2, dtype: .float64, paddingIndex: 1, seed: 1)
        let drawn = Embedding(vocabularySize: 4, embeddingSize: 2, dtype: .float64, seed: 1).weight.value
        let initial = values(layer.weight.value), unpadded = values(drawn)
        #expect(initial[2...3] == [0, 0])
        #expect(initial[0...1] == unpadded[0...1] && initial[4...] == unpadded[4...])
        layer.weight.assign(doubles([0, 1, 10, 11, 20, 21, 30, 31], shape: [4, 2]))
        let indices = Tensor([1, 3, 1, 1] as [Int32], shape: [4])
        let weights = doubles([1, 2, 3, 4, 5, 6, 7, 8], shape: [4, 2])
        #expect(values(layer(indices)) == [10, 11, 30, 31, 10, 11, 10, 11])
        let tape = GradientTape()
        let loss = tape.record { (layer(indices) * weights).sum() }
        let gradient = try tape.gradient(of: loss, wrt: layer.weight)
        #expect(values(gradient) == [0, 0, 0, 0, 0, 0, 3, 4])
    }

    @Test func aPaddingIndexOutsideTheTableStops() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Embedding(vocabularySize: 5, embeddingSize: 2, paddingIndex: 5, seed: 1)
        }
        let message = standardError(result)
        #expect(message.contains("Embedding: paddingIndex 5 is out of range for vocabularySize 5; it must be in 0..<5"), "\(message)")
    }

    @Test func gradientsMatchFiniteDifferencesToSecondOrder() {
        let layer = table()
        let indices = Tensor([2, 0, 2, 3, 1, 2] as [Int32], shape: [3, 2])
        let report = checkGradients(of: { layer(indices, with: [$0[0]]).sin() }, at: [layer.weight.value * 0.1], order: 2)
        #expect(report.passed, "\(report)")
    }

    @Test func outputSpecTakesInt32IndicesOnly() throws {
        let layer = Embedding(vocabularySize: 10, embeddingSize: 3, seed: 1)
        #expect(try layer.outputSpec(for: TensorSpec(shape: [4, 7], dtype: .int32)) == TensorSpec(shape: [4, 7, 3], dtype: .float32))
        #expect(throws: LayerInputError(layer: "Embedding", problem: .dtype(expected: .int32, found: .float32))) {
            try layer.outputSpec(for: TensorSpec(shape: [4], dtype: .float32))
        }
    }

    @Test func anIndexOutsideTheVocabularyStopsWithTheRange() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Embedding(vocabularySize: 5, embeddingSize: 2, seed: 1)(Tensor([1, 5] as [Int32]))
        }
        let message = standardError(result)
        #expect(message.contains("Embedding: index 5 is out of range for vocabularySize 5; indices must be in 0..<5"), "\(message)")
    }

    @Test func floatIndicesStopWithHowToConvert() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Embedding(vocabularySize: 5, embeddingSize: 2, seed: 1)(Tensor([1, 2] as [Float]))
        }
        let message = standardError(result)
        #expect(message.contains("Embedding: indices must be int32, got float32 [2]; convert them with .cast(to: .int32)"), "\(message)")
    }
}
