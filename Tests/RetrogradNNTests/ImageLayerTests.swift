import Testing
@testable import RetrogradNN
import RetrogradTestSupport

// The layers of image models that need no convolution: Flatten, global average and max
// pooling, and Dropout on NHWC tensors.

/// 2 images of 2 × 3 pixels with 2 channels, distinct values in no particular order.
private let images: [Double] = (0..<24).map { (i: Int) -> Double in
    let ramp: Double = Double(i) * 0.37 - 4
    return ramp + Double((i * 7) % 5)
}

/// images[n, h, w, c] for the layout above.
private func pixel(_ n: Int, _ h: Int, _ w: Int, _ c: Int) -> Double { images[((n * 2 + h) * 3 + w) * 2 + c] }

@Suite struct FlattenTests {
    @Test func everyAxisButTheBatchIsFlattenedInNHWCOrder() {
        let y = Flatten()(doubles(images, shape: [2, 2, 3, 2]))
        #expect(y.shape == [2, 12])
        #expect(values(y) == images)
        #expect(Flatten()(doubles([1, 2, 3])).shape == [3, 1])
    }

    @Test func theGradientHasTheInputsShape() throws {
        let x = doubles(images, shape: [2, 2, 3, 2])
        let tape = GradientTape()
        tape.watch(x)
        let loss = tape.record { (Flatten()(x) * doubles((0..<24).map(Double.init), shape: [2, 12])).sum() }
        let gradient = try tape.gradient(of: loss, wrt: x)
        #expect(gradient?.shape == [2, 2, 3, 2])
        #expect(values(gradient) == (0..<24).map(Double.init))
    }

    @Test func outputSpecCountsTheElementsPerExample() throws {
        #expect(try Flatten().outputSpec(for: TensorSpec(shape: [5, 7, 7, 48], dtype: .float32)) == TensorSpec(shape: [5, 2352], dtype: .float32))
        #expect(throws: LayerInputError(layer: "Flatten", problem: .rank(minimum: 1, found: []))) {
            try Flatten().outputSpec(for: TensorSpec(shape: [], dtype: .float32))
        }
    }
}

@Suite struct GlobalPoolingTests {
    @Test func averagePoolingIsTheMeanOfEachChannelOverTheImage() {
        let x = doubles(images, shape: [2, 2, 3, 2])
        var expected = [Double]()
        for n in 0..<2 {
            for c in 0..<2 {
                var total = 0.0
                for h in 0..<2 { for w in 0..<3 { total += pixel(n, h, w, c) } }
                expected.append(total / 6)
            }
        }
        let y = GlobalAveragePooling2D()(x)
        #expect(y.shape == [2, 2])
        #expect(allClose(values(y), expected, tolerance: 1e-12))
        let kept = GlobalAveragePooling2D(keepingDimensions: true)(x)
        #expect(kept.shape == [2, 1, 1, 2])
        #expect(values(kept) == values(y))
    }

    @Test func maxPoolingIsTheLargestOfEachChannelOverTheImage() {
        let x = doubles(images, shape: [2, 2, 3, 2])
        var expected = [Double]()
        for n in 0..<2 {
            for c in 0..<2 {
                var best = -Double.infinity
                for h in 0..<2 { for w in 0..<3 { best = Swift.max(best, pixel(n, h, w, c)) } }
                expected.append(best)
            }
        }
        let y = GlobalMaxPooling2D()(x)
        #expect(y.shape == [2, 2])
        #expect(values(y) == expected)
        #expect(GlobalMaxPooling2D(keepingDimensions: true)(x).shape == [2, 1, 1, 2])
    }

    @Test func gradientsMatchFiniteDifferencesToSecondOrder() {
        let x = doubles(images, shape: [2, 2, 3, 2]) * 0.3
        for layer in [GlobalAveragePooling2D(), GlobalMaxPooling2D()] as [any Layer] {
            let report = checkGradients(of: { layer($0[0]).tanh() }, at: [x], order: 2)
            #expect(report.passed, "\(type(of: layer)): \(report)")
        }
    }

    @Test func outputSpecWantsNHWCImages() throws {
        let layer = GlobalAveragePooling2D()
        #expect(try layer.outputSpec(for: TensorSpec(shape: [8, 7, 7, 48], dtype: .float32)) == TensorSpec(shape: [8, 48], dtype: .float32))
        let error = #expect(throws: LayerInputError.self) { try layer.outputSpec(for: TensorSpec(shape: [8, 49, 48], dtype: .float32)) }
        #expect(error?.problem == .exactRank(expected: 4, layout: "[batch, height, width, channels]", found: [8, 49, 48]))
        #expect(
            error?.description == "GlobalAveragePooling2D: expected an input of rank 4, [batch, height, width, channels], "
                + "found shape [8, 49, 48]. Reshape the input to [batch, height, width, channels].")
        #expect(throws: LayerInputError(layer: "GlobalMaxPooling2D", problem: .notFloatingPoint(found: .int32))) {
            try GlobalMaxPooling2D().outputSpec(for: TensorSpec(shape: [1, 2, 2, 1], dtype: .int32))
        }
    }
}

@Suite struct DropoutOnImagesTests {
    /// On 4 × 8 × 8 × 16 ones at rate 0.5 each element is 0 or 2, independently: the
    /// dropped fraction of 4096 elements is 0.5 with standard error ≈ 0.008.
    @Test func dropoutDropsElementsOfAnyRank() throws {
        let dropout = Dropout(rate: 0.5, seed: 3)
        let x = Tensor.ones(shape: [4, 8, 8, 16], dtype: .float64)
        let tape = GradientTape()
        tape.watch(x)
        let (y, total) = tape.record { () -> (Tensor, Tensor) in
            let y = dropout(x)
            return (y, y.sum())
        }
        #expect(y.shape == [4, 8, 8, 16])
        let kept = values(y)
        #expect(kept.allSatisfy { $0 == 0 || $0 == 2 })
        let dropped = Double(kept.filter { $0 == 0 }.count) / Double(kept.count)
        #expect(Swift.abs(dropped - 0.5) < 0.04, "dropped \(dropped)")
        // The gradient of Σ y is the mask: the output itself on ones.
        #expect(values(try tape.gradient(of: total, wrt: x)) == kept)
        // A scalar and a vector are inputs too.
        #expect([0.0, 2].contains(values(dropout(Tensor(scalar: 1, dtype: .float64)))[0]))
        #expect(dropout(Tensor.ones(shape: [5], dtype: .float64)).shape == [5])
    }
}
