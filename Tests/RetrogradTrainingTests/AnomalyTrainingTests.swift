import Retrograd
import RetrogradNN
import RetrogradOptimizers
import Testing

/// A step that goes wrong at a known point of a small training run.
enum BadStep: CaseIterable, CustomStringConvertible {
    /// Cross-entropy written as −log(softmax): a far-out input makes one probability
    /// exactly 0 in float32, and log 0 = −inf in the forward pass.
    case saturatedSoftmax
    /// A Euclidean-distance loss ‖prediction − target‖ at a target equal to the
    /// prediction: the distance is 0 and finite, its derivative 1/(2·sqrt(0)) is not.
    case zeroResidual

    var description: String { self == .saturatedSoftmax ? "saturated softmax" : "zero residual" }
}

/// Dense + Adam with a step that turns the loss non-finite: under anomaly detection the
/// step stops before the optimizer runs, so the weights stay the last good ones.
@Suite struct AnomalyTrainingTests {
    static let badStep = 5
    static let learningRate = 0.01

    /// A 2 → 2 dense layer with weight [[1, −1], [0.5, 0.5]] and zero bias.
    static func makeModel() -> Dense {
        let model = Dense(inputSize: 2, outputSize: 2, seed: 1)
        model.weight.assign(Tensor([1, -1, 0.5, 0.5] as [Float], shape: [2, 2]))
        model.bias?.assign(Tensor([0, 0] as [Float]))
        return model
    }

    static func parameters(_ model: Dense) -> [[Float]] {
        model.trainableVariables.map { $0.value.scalars(as: Float.self) }
    }

    /// One training step; `step` decides the batch (and at `badStep`, the bad one).
    static func trainStep(_ kind: BadStep, _ step: Int, _ model: Dense, _ optimizer: Adam) throws {
        let good = Tensor([1, 0.5, -0.5, 1] as [Float], shape: [2, 2])
        let tape = GradientTape()
        let loss: Tensor
        switch kind {
        case .saturatedSoftmax:
            let (x, labels) = step == badStep
                ? (Tensor([200, 0] as [Float], shape: [1, 2]), Tensor([0, 1] as [Float], shape: [1, 2]))
                : (good, Tensor([1, 0, 0, 1] as [Float], shape: [2, 2]))
            let count = Double(x.shape[0])
            loss = tape.record { -(labels * model(x).softmax().log()).sum() / count }
        case .zeroResidual:
            let target = step == badStep
                ? withoutRecording { model(good) }  // exactly what the tape will compute
                : Tensor([1, 0, 0, 1] as [Float], shape: [2, 2])
            loss = tape.record {
                let residual = model(good) - target
                return (residual * residual).sum().sqrt()
            }
        }
        let gradients = try tape.gradient(of: loss, wrt: model.trainableVariables)
        optimizer.apply(gradients: gradients, to: model.trainableVariables)
    }

    @Test(arguments: BadStep.allCases)
    func theBadStepStopsBeforeTheOptimizerTouchesTheWeights(_ kind: BadStep) throws {
        let model = Self.makeModel(), optimizer = Adam(learningRate: Self.learningRate)
        let initial = Self.parameters(model)
        var lastGood = initial
        var stoppedAt: Int?
        do {
            try withAnomalyDetection {
                for step in 0..<10 {
                    lastGood = Self.parameters(model)
                    stoppedAt = step
                    try Self.trainStep(kind, step, model, optimizer)
                }
                stoppedAt = nil
            }
            Issue.record("no anomaly was reported")
        } catch let error as AnomalyError {
            let anomaly = error.anomaly
            switch kind {
            case .saturatedSoftmax:
                // Adam moves a parameter by at most about 3·lr a step, so after 5 steps
                // the logit gap 200·(w₀₀ − w₀₁) is still near 400 (checked below): e^−400
                // is 0 in float32 (its smallest value is about e^−103), and log 0 = −inf.
                #expect(anomaly.op == "log" && anomaly.phase == .forward && anomaly.value == .negativeInfinity)
                #expect(anomaly.inputShapes == [[1, 2]] && anomaly.nonFiniteInputs.isEmpty)
                #expect(anomaly.elementIndex == 1)
                let gap = 200 * (Double(lastGood[0][0]) - Double(lastGood[0][1]))
                #expect(gap > 104, "the bad batch must saturate the softmax; the logit gap is \(gap)")
            case .zeroResidual:
                #expect(anomaly.phase == .backward && anomaly.op == "div" && anomaly.rule?.op == "sqrt")
            }
            #expect(error.description.contains(anomaly.op))
        }
        #expect(stoppedAt == Self.badStep)
        #expect(Self.parameters(model) == lastGood)
        #expect(lastGood != initial)  // the good steps did train
        #expect(optimizer.iterations == Self.badStep)
    }

    @Test(arguments: BadStep.allCases)
    func withoutDetectionTheBadStepPoisonsTheWeights(_ kind: BadStep) throws {
        let model = Self.makeModel(), optimizer = Adam(learningRate: Self.learningRate)
        for step in 0...Self.badStep { try Self.trainStep(kind, step, model, optimizer) }
        #expect(Self.parameters(model).joined().contains { !$0.isFinite })
    }
}
