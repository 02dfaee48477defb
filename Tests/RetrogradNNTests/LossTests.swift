import Foundation
import Testing
@testable import RetrogradNN
import RetrogradTestSupport

// Losses: values worked out by hand, stability at ±1000, gradients against finite
// differences in float64, and the shape errors that stop the program.

private let ln2 = Foundation.log(2.0), ln3 = Foundation.log(3.0)

@Suite struct LossValueTests {
    /// predictions [1, 2, 3], targets [1, 0, 5]: squares [0, 4, 4], sum 8, mean 8/3.
    @Test func meanSquaredErrorByHand() {
        let p = doubles([1, 2, 3]), t = doubles([1, 0, 5])
        expectClose(meanSquaredError(predictions: p, targets: t), [8.0 / 3])
        expectClose(meanSquaredError(predictions: p, targets: t, reduction: .sum), [8])
        let none = meanSquaredError(predictions: p, targets: t, reduction: .none)
        #expect(none.shape == [3])
        expectClose(none, [0, 4, 4])
    }

    /// Row [0, ln 3]: softmax = [1/4, 3/4], so label 1 costs −ln(3/4) = ln(4/3).
    /// Row [0, 0]: softmax = [1/2, 1/2], so label 0 costs ln 2.
    @Test func softmaxCrossEntropyWithIntegerLabelsByHand() {
        let logits = doubles([0, ln3, 0, 0], shape: [2, 2])
        let perExample = [Foundation.log(4.0 / 3), ln2]
        expectClose(softmaxCrossEntropy(logits: logits, labels: [1, 0], reduction: .none), perExample)
        expectClose(softmaxCrossEntropy(logits: logits, labels: [1, 0]), [(perExample[0] + perExample[1]) / 2])
        expectClose(softmaxCrossEntropy(logits: logits, labels: [1, 0], reduction: .sum), [Foundation.log(8.0 / 3)])
        // Label 0 of the first row: −ln(1/4) = ln 4.
        expectClose(softmaxCrossEntropy(logits: logits, labels: [0, 0], reduction: .none), [2 * ln2, ln2])
    }

    @Test func int32LabelTensorsGiveTheSameLoss() {
        let logits = doubles([0, ln3, 0, 0], shape: [2, 2])
        let fromTensor = softmaxCrossEntropy(logits: logits, labels: Tensor([1, 0] as [Int32]), reduction: .none)
        expectClose(fromTensor, [Foundation.log(4.0 / 3), ln2])
    }

    /// Soft target [1/2, 1/2] against softmax [1/4, 3/4]:
    /// −(½ ln ¼ + ½ ln ¾) = ½ (ln 4 + ln 4/3) = ½ ln(16/3).
    @Test func softmaxCrossEntropyWithProbabilitiesByHand() {
        let logits = doubles([0, ln3], shape: [1, 2])
        expectClose(softmaxCrossEntropy(logits: logits, probabilities: doubles([0.5, 0.5], shape: [1, 2])), [0.5 * Foundation.log(16.0 / 3)])
        // A one-hot row is the integer-label loss.
        expectClose(softmaxCrossEntropy(logits: logits, probabilities: doubles([0, 1], shape: [1, 2])), [Foundation.log(4.0 / 3)])
    }

    /// σ(0) = 1/2 with y = 1 costs ln 2; σ(ln 3) = 3/4 with y = 1 costs ln(4/3);
    /// σ(−ln 3) = 1/4 with y = 0 costs −ln(3/4) = ln(4/3).
    @Test func binaryCrossEntropyByHand() {
        let logits = doubles([0, ln3, -ln3]), labels = doubles([1, 1, 0])
        let expected = [ln2, Foundation.log(4.0 / 3), Foundation.log(4.0 / 3)]
        expectClose(binaryCrossEntropy(logits: logits, labels: labels, reduction: .none), expected)
        expectClose(binaryCrossEntropy(logits: logits, labels: labels), [expected.reduce(0, +) / 3])
        // Integer labels are converted.
        expectClose(binaryCrossEntropy(logits: logits, labels: Tensor([1, 1, 0] as [Int32]), reduction: .none), expected)
    }

    /// d/dx [softplus(x) − x·y] = σ(x) − y, which at x = 0 is 1/2 − y: no kink there.
    @Test func binaryCrossEntropyGradientAtZeroIsSigmoidMinusLabel() throws {
        let logits = doubles([0, 0, 0]), labels = doubles([1, 0, 0.25])
        let tape = GradientTape()
        tape.watch(logits)
        let loss = tape.record { binaryCrossEntropy(logits: logits, labels: labels, reduction: .sum) }
        expectClose(try tape.gradient(of: loss, wrt: logits), [-0.5, 0.5, 0.25])
    }

    @Test func accuracyCountsRowsWhoseLargestLogitIsTheLabel() {
        let logits = Tensor([0.1, 0.9, 0.8, 0.2, 0.3, 0.7] as [Float], shape: [3, 2])
        #expect(accuracy(logits: logits, labels: [1, 0, 0]) == 2.0 / 3)
        #expect(accuracy(logits: logits, labels: Tensor([1, 0, 1] as [Int32])) == 1)
        // Ties go to the lowest class.
        #expect(accuracy(logits: Tensor([1, 1] as [Float], shape: [1, 2]), labels: [0]) == 1)
    }
}

@Suite struct LossStabilityTests {
    /// Logits ±1000: row [1000, −1000] with label 1 costs 2000 and has gradient
    /// softmax − one-hot = [1, 0] − [0, 1]; row [−1000, 1000] with label 1 costs e^−2000 ≈ 0
    /// and has gradient ≈ 0.
    @Test(arguments: [DType.float32, .float64])
    func softmaxCrossEntropyAtLargeLogits(_ dtype: DType) throws {
        let logits = Tensor([1000, -1000, -1000, 1000] as [Double], shape: [2, 2]).cast(to: dtype)
        for loss in [
            { softmaxCrossEntropy(logits: $0, labels: [1, 1], reduction: .sum) },
            { softmaxCrossEntropy(logits: $0, probabilities: Tensor([0, 1, 0, 1] as [Double], shape: [2, 2]).cast(to: dtype), reduction: .sum) },
        ] as [(Tensor) -> Tensor] {
            let tape = GradientTape()
            tape.watch(logits)
            let value = tape.record { loss(logits) }
            expectClose(value, [2000], absolute: 1e-9)
            let gradient = try tape.gradient(of: value, wrt: logits)
            #expect(gradient?.scalars(as: Double.self).allSatisfy(\.isFinite) == true)
            expectClose(gradient, [1, -1, 0, 0], absolute: 1e-6)
        }
    }

    /// x = 1000, y = 0 costs 1000 with gradient σ − y = 1; x = −1000, y = 1 costs 1000 with
    /// gradient −1; the confident right answers cost ≈ 0 with gradient ≈ 0.
    @Test(arguments: [DType.float32, .float64])
    func binaryCrossEntropyAtLargeLogits(_ dtype: DType) throws {
        let logits = Tensor([1000, -1000, 1000, -1000] as [Double]).cast(to: dtype)
        let labels = Tensor([0, 0, 1, 1] as [Double]).cast(to: dtype)
        let tape = GradientTape()
        tape.watch(logits)
        let (values, total) = tape.record { () -> (Tensor, Tensor) in
            let values = binaryCrossEntropy(logits: logits, labels: labels, reduction: .none)
            return (values, values.sum())
        }
        expectClose(values, [1000, 0, 0, 1000], absolute: 1e-9)
        let gradient = try tape.gradient(of: total, wrt: logits)
        expectClose(gradient, [1, 0, 0, -1], absolute: 1e-6)
    }
}

/// A loss at a point, checked against finite differences to second order.
struct LossCheckCase: Sendable, CustomTestStringConvertible {
    let name: String
    let inputs: [[Double]]
    let shape: Shape
    let loss: @Sendable ([Tensor]) -> Tensor
    var testDescription: String { name }
}

@Suite struct LossGradientTests {
    static let cases: [LossCheckCase] = [
        LossCheckCase(name: "meanSquaredError mean", inputs: [[0.3, -1.2, 2, 0.5, 0.1, -0.7], [1, 0, -1, 0.5, 2, 0]], shape: [2, 3]) {
            meanSquaredError(predictions: $0[0], targets: $0[1])
        },
        LossCheckCase(name: "meanSquaredError sum", inputs: [[0.3, -1.2, 2, 0.5, 0.1, -0.7], [1, 0, -1, 0.5, 2, 0]], shape: [2, 3]) {
            meanSquaredError(predictions: $0[0], targets: $0[1], reduction: .sum)
        },
        LossCheckCase(name: "softmaxCrossEntropy labels", inputs: [[0.3, -1.2, 2, 0.5, 0.1, -0.7]], shape: [2, 3]) {
            softmaxCrossEntropy(logits: $0[0], labels: [2, 0])
        },
        LossCheckCase(name: "softmaxCrossEntropy labels, none", inputs: [[4, -3, 0.2, 0.5, 0.1, -5]], shape: [2, 3]) {
            softmaxCrossEntropy(logits: $0[0], labels: [1, 2], reduction: .none)
        },
        LossCheckCase(name: "softmaxCrossEntropy probabilities", inputs: [[0.3, -1.2, 2, 0.5, 0.1, -0.7], [0.2, 0.3, 0.5, 0.6, 0.4, 0]], shape: [2, 3]) {
            softmaxCrossEntropy(logits: $0[0], probabilities: $0[1])
        },
        LossCheckCase(name: "binaryCrossEntropy", inputs: [[0, 0.3, -1.2, 6, -6, 1e-3], [1, 0, 0.25, 1, 0, 0.5]], shape: [2, 3]) {
            binaryCrossEntropy(logits: $0[0], labels: $0[1])
        },
        LossCheckCase(name: "binaryCrossEntropy sum", inputs: [[2, -0.3, 0.7, -2.5, 4, -1e-3]], shape: [2, 3]) {
            binaryCrossEntropy(logits: $0[0], labels: doubles([1, 1, 0, 0, 1, 0], shape: [2, 3]), reduction: .sum)
        },
    ]

    @Test(arguments: cases)
    func lossesMatchFiniteDifferencesToSecondOrder(_ check: LossCheckCase) {
        let inputs = check.inputs.map { doubles($0, shape: check.shape) }
        let report = checkGradients(of: check.loss, at: inputs, order: 2)
        #expect(report.passed, "\(check.name):\n\(report)")
    }
}

@Suite struct LossShapeErrorTests {
    @Test func softmaxCrossEntropyProbabilitiesOfAnotherShape() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = softmaxCrossEntropy(logits: Tensor.zeros(shape: [1, 10]), probabilities: Tensor.zeros(shape: [1, 2]))
        }
        let message = standardError(result)
        #expect(message.contains("softmaxCrossEntropy") && message.contains("[1, 10]") && message.contains("[1, 2]"), "\(message)")
    }

    @Test func meanSquaredErrorTargetsOfAnotherShape() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = meanSquaredError(predictions: Tensor.zeros(shape: [1, 10]), targets: Tensor.zeros(shape: [1, 2]))
        }
        let message = standardError(result)
        #expect(message.contains("meanSquaredError") && message.contains("[1, 10]") && message.contains("[1, 2]"), "\(message)")
    }

    @Test func binaryCrossEntropyLabelsOfAnotherShape() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = binaryCrossEntropy(logits: Tensor.zeros(shape: [1, 10]), labels: Tensor.zeros(shape: [1, 2]))
        }
        let message = standardError(result)
        #expect(message.contains("binaryCrossEntropy") && message.contains("[1, 10]") && message.contains("[1, 2]"), "\(message)")
    }

    @Test func softmaxCrossEntropyWithTooFewLabels() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = softmaxCrossEntropy(logits: Tensor.zeros(shape: [2, 10]), labels: [3])
        }
        let message = standardError(result)
        #expect(message.contains("softmaxCrossEntropy") && message.contains("[2, 10]") && message.contains("[1]"), "\(message)")
    }

    @Test func softmaxCrossEntropyWithALabelOutOfRange() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = softmaxCrossEntropy(logits: Tensor.zeros(shape: [1, 10]), labels: [10])
        }
        let message = standardError(result)
        #expect(message.contains("softmaxCrossEntropy") && message.contains("label 10"), "\(message)")
    }

    @Test func denseInputOfTheWrongWidth() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Dense(inputSize: 2, outputSize: 1, seed: 0)(Tensor.zeros(shape: [1, 10]))
        }
        let message = standardError(result)
        #expect(message.contains("Dense") && message.contains("[1, 10]"), "\(message)")
    }
}
