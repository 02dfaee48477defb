// Programmer errors stop the program with a message that says what is wrong.

import Testing
import RetrogradOptimizers

@Suite struct OptimizerPreconditionTests {
    private func text(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test func gradientCountMismatchNamesBothCounts() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let w = Variable(Tensor([1] as [Double]), name: "w"), u = Variable(Tensor([1] as [Double]), name: "u")
            Adam().apply(gradients: [nil, nil, nil], to: [w, u])
        }
        let message = text(result)
        #expect(message.contains("3 gradients") && message.contains("2 variables"), "\(message)")
    }

    @Test func gradientShapeMismatchNamesTheVariable() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let w = Variable(Tensor([1, 2] as [Double]), name: "dense.weight")
            SGD(learningRate: 0.1).apply(gradients: [Tensor([1, 2, 3] as [Double])], to: [w])
        }
        let message = text(result)
        #expect(message.contains("'dense.weight'") && message.contains("[3]") && message.contains("[2]"), "\(message)")
    }

    @Test func gradientTypeMismatchNamesTheVariable() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let w = Variable(Tensor([1, 2] as [Double]), name: "bias")
            RMSProp().apply(gradients: [Tensor([1, 2] as [Float])], to: [w])
        }
        let message = text(result)
        #expect(message.contains("'bias'") && message.contains("float32") && message.contains("float64"), "\(message)")
    }

    @Test func variableListedTwice() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let w = Variable(Tensor([1] as [Double]), name: "w")
            Adagrad().apply(gradients: [nil, nil], to: [w, w])
        }
        #expect(text(result).contains("'w' is listed twice"), "\(text(result))")
    }

    @Test func duplicateNamesInState() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = Variable(Tensor([1] as [Double]), name: "w"), b = Variable(Tensor([1] as [Double]), name: "w")
            _ = AdamW().stateTensors(for: [a, b])
        }
        #expect(text(result).contains("two variables are named 'w'"), "\(text(result))")
    }

    @Test func selectedVariableMissingFromTheList() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = Variable(Tensor([1] as [Double]), name: "a"), b = Variable(Tensor([1] as [Double]), name: "domain.b")
            _ = ([Tensor([1] as [Double])] as [Tensor?]).negated(only: [b], in: [a])
        }
        let message = text(result)
        #expect(message.contains("negated(only:in:)") && message.contains("'domain.b'"), "\(message)")
    }

    @Test func transformListsOutOfAlignment() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = Variable(Tensor([1] as [Double]), name: "a")
            _ = ([nil, nil] as [Tensor?]).scaled(by: 2, in: [a], where: { _ in true })
        }
        let message = text(result)
        #expect(message.contains("2 gradients") && message.contains("1 variables"), "\(message)")
    }

    @Test func nesterovNeedsMomentumAndNoDampening() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = SGD(learningRate: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true)
        }
        #expect(text(result).contains("Nesterov"), "\(text(result))")
    }

    @Test func aFusedStepNeedsTheSlotsItsRuleUses() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var value = Tensor([1, 2] as [Float]), square = Tensor([0, 0] as [Float])
            var average: Tensor? = nil, buffer: Tensor? = nil
            RMSPropStep(learningRate: 0.1, alpha: 0.9, epsilon: 1e-8, centered: true).apply(
                to: &value, gradient: Tensor([1, 1] as [Float]), squareAverage: &square, gradientAverage: &average,
                momentumBuffer: &buffer)
        }
        let message = text(result)
        #expect(message.contains("RMSPropStep.apply") && message.contains("gradientAverage is nil"), "\(message)")
    }

    @Test func aFusedStepChecksTheSlotShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var value = Tensor([1, 2] as [Double]), sum = Tensor([0, 0, 0] as [Double])
            AdagradStep(learningRate: 0.1, epsilon: 1e-10, stepCount: 1).apply(
                to: &value, gradient: Tensor([1, 1] as [Double]), accumulator: &sum)
        }
        let message = text(result)
        #expect(message.contains("accumulator is float64 [3]") && message.contains("float64 [2]"), "\(message)")
    }
}
