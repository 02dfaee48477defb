import Testing
@testable import RetrogradData

/// `count` 2×3 single-channel images whose pixels name their image: pixel p of image i is
/// 100·i + p; image i has label i % 4.
private func numberedImages(count: Int = 7) throws -> Dataset {
    let values = (0..<count).flatMap { image in (0..<6).map { Float(100 * image + $0) } }
    return try Dataset(features: Tensor(values, shape: [count, 2, 3, 1]), labels: (0..<count).map { Int32($0 % 4) })
}

/// The image each example came from, read back from its first pixel (100·i).
private func imageIDs(_ features: Tensor) -> [Int] {
    let values = features.scalars(as: Float.self)
    return stride(from: 0, to: values.count, by: 6).map { Int(values[$0]) / 100 }
}

/// Whether every example of `features` is a whole image: pixel p of the image from i is 100·i + p.
private func examplesAreWhole(_ features: Tensor) -> Bool {
    let values = features.scalars(as: Float.self)
    return stride(from: 0, to: values.count, by: 6).allSatisfy { start in
        (0..<6).allSatisfy { values[start + $0] == values[start] + Float($0) }
    }
}

@Suite struct ImageDatasetTests {
    @Test func acceptsNHWCImagesAndDescribesTheirShape() throws {
        let data = try numberedImages()
        #expect(data.count == 7)
        #expect(data.featureCount == 6)
        #expect(data.exampleShape == [2, 3, 1])
        #expect(data.labelScalars == [0, 1, 2, 3, 0, 1, 2])
    }

    @Test func rowsKeepTheImageShapeAndPickWholeImages() throws {
        let picked = try numberedImages().rows([5, 0, 5])
        #expect(picked.features.shape == [3, 2, 3, 1])
        #expect(imageIDs(picked.features) == [5, 0, 5])
        #expect(examplesAreWhole(picked.features))
        #expect(picked.labelScalars == [1, 0, 1])
    }

    @Test func shuffleAndSplitMoveWholeImagesWithTheirLabels() throws {
        let data = try numberedImages(count: 20)
        let shuffled = data.shuffled(seed: 3)
        #expect(shuffled.features.shape == [20, 2, 3, 1])
        #expect(imageIDs(shuffled.features) == Dataset.permutation(count: 20, seed: 3))
        #expect(examplesAreWhole(shuffled.features))
        #expect(shuffled.labelScalars == imageIDs(shuffled.features).map { Int32($0 % 4) })

        let (train, test) = data.split(fraction: 0.75, seed: 9)
        #expect(train.features.shape == [15, 2, 3, 1])
        #expect(test.features.shape == [5, 2, 3, 1])
        #expect(Set(imageIDs(train.features)).isDisjoint(with: imageIDs(test.features)))
        #expect(Set(imageIDs(train.features) + imageIDs(test.features)) == Set(0..<20))
    }

    @Test func batchesAreImageTensorsCoveringEveryImageOnce() throws {
        let data = try numberedImages()
        let batches = data.batches(size: 3, shuffle: true, seed: 11)
        #expect(batches.map { $0.features.shape } == [[3, 2, 3, 1], [3, 2, 3, 1], [1, 2, 3, 1]])
        for batch in batches {
            #expect(imageIDs(batch.features) == batch.indices)
            #expect(examplesAreWhole(batch.features))
            #expect(batch.labels?.scalars(as: Int32.self) == batch.indices.map { Int32($0 % 4) })
        }
        #expect(batches.flatMap(\.indices).sorted() == Array(0..<7))
        #expect(data.batches(size: 3, dropRemainder: true).count == 2)
    }

    @Test func pairedBatchesWorkForImagesOnEitherSide() throws {
        let images = try numberedImages(count: 5)
        // A partner of a different rank: a [3, 2] matrix whose row r is [r, r].
        let rows = try Dataset(features: Tensor([0, 0, 1, 1, 2, 2] as [Float], shape: [3, 2]))
        let pairs = images.batches(size: 2).paired(with: rows)
        #expect(pairs.count == 3)
        // The partner's rows in order, cycling: 0 1 | 2 0 | 1.
        #expect(pairs.map { $0.partner.indices } == [[0, 1], [2, 0], [1]])
        #expect(pairs[1].partner.features.shape == [2, 2])
        #expect(pairs[1].batch.features.shape == [2, 2, 3, 1])

        let back = rows.batches(size: 2).paired(with: images, shuffle: true, seed: 4)
        let order = Dataset.permutation(count: 5, seed: 4)
        #expect(back.map { $0.partner.indices } == [Array(order[0..<2]), [order[2]]])
        #expect(imageIDs(back[0].partner.features) == Array(order[0..<2]))
        #expect(back[0].partner.features.shape == [2, 2, 3, 1])
    }

    @Test func flattenedAndReshapedAreViewsOfTheSamePixels() throws {
        let data = try numberedImages(count: 3)
        let flat = data.flattened()
        #expect(flat.features.shape == [3, 6])
        // Row-major: row i is image i's pixels 100·i + 0 … 100·i + 5.
        #expect(flat.features.scalars(as: Float.self) == (0..<3).flatMap { image in (0..<6).map { Float(100 * image + $0) } })
        #expect(flat.labelScalars == data.labelScalars)
        #expect(flat.flattened().features.shape == [3, 6])
        let back = flat.reshaped(exampleShape: [2, 3, 1])
        #expect(back.features.shape == [3, 2, 3, 1])
        #expect(back.features.scalars(as: Float.self) == data.features.scalars(as: Float.self))
    }

    @Test func rejectsFeaturesOfRankOne() {
        #expect(throws: DataError.invalidFeatures(shape: [4], dtype: .float32)) {
            try Dataset(features: Tensor([1, 2, 3, 4] as [Float]))
        }
        let error = thrownError(DataError.self) { _ = try Dataset(features: Tensor([1, 2] as [Int32], shape: [1, 1, 2, 1])) }
        #expect(error?.description.contains("[count, height, width, channels]") == true)
        #expect(error?.description.contains("int32 [1, 1, 2, 1]") == true)
    }

    @Test func featureMeansAverageEachPixelOverImages() throws {
        // Images i = 0, 1, 2: pixel p is 100·i + p, so its mean is 100 + p.
        #expect(try numberedImages(count: 3).featureMeans == (0..<6).map { 100 + Double($0) })
    }
}
