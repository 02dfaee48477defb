// Per-variable state: nil gradients skip a variable and its state; state saves and
// loads exactly; a bad state is refused before anything changes.

import Foundation
import Testing
@testable import Retrograd
import RetrogradOptimizers
import RetrogradTestSupport

/// The entries of a state dictionary as plain numbers, for comparing two states.
private func snapshot(_ state: [String: Tensor]) -> [String: [Double]] {
    state.mapValues { values($0) }
}

@Suite struct NilGradientTests {
    /// `u` gets nil for three steps while `w` is updated: `u` and its state do not move,
    /// its step stays 0, and its first real update is a first step (bias correction,
    /// fresh momentum buffer, undecayed Adagrad rate) even though the optimizer has
    /// already run three times.
    @Test(arguments: OptimizerCase.all)
    func nilGradientLeavesVariableAndStateUntouched(_ configuration: OptimizerCase) throws {
        let optimizer = configuration.make()
        let w = variable(Quadratic.start, name: "w"), u = variable(Quadratic.otherStart, name: "u")
        var referenceW = configuration.reference(), referenceU = configuration.reference()
        var expectedW = Quadratic.start, expectedU = Quadratic.otherStart
        let freshU = snapshot(optimizer.stateTensors(for: [u]).filter { $0.key != "iterations" })
        #expect(freshU["u/step"] == [0])

        for _ in 0..<3 {
            let gradients = try Quadratic.tapeGradients(w, u)
            optimizer.apply(gradients: [gradients[0], nil], to: [w, u])
            referenceW.step(&expectedW, Quadratic.gradient(expectedW), lr: configuration.learningRate)
            #expect(values(u.value) == Quadratic.otherStart)
            let stateU = snapshot(optimizer.stateTensors(for: [u]).filter { $0.key != "iterations" })
            #expect(stateU == freshU)
        }
        #expect(optimizer.stateTensors(for: [w])["w/step"].map(values) == [3])

        for _ in 0..<4 {
            optimizer.apply(gradients: try Quadratic.tapeGradients(w, u), to: [w, u])
            referenceW.step(&expectedW, Quadratic.gradient(expectedW), lr: configuration.learningRate)
            let gU = Quadratic.gradient(expectedU, center: Quadratic.otherCenter, weights: Quadratic.otherWeights)
            referenceU.step(&expectedU, gU, lr: configuration.learningRate)
            #expect(allClose(values(w.value), expectedW))
            #expect(allClose(values(u.value), expectedU))
        }
        let state = optimizer.stateTensors(for: [w, u])
        #expect(values(state["w/step"]) == [7] && values(state["u/step"]) == [4])
        #expect(values(state["iterations"]) == [7])
    }

    /// A variable that is not trainable is skipped like a nil gradient.
    @Test func frozenVariableIsNotUpdated() {
        let optimizer = Adam(learningRate: 0.1)
        let w = variable([1, 2], name: "w"), frozen = Variable(Tensor([3, 4] as [Double]), name: "frozen", trainable: false)
        let g = Tensor([1, 1] as [Double])
        optimizer.apply(gradients: [g, g], to: [w, frozen])
        #expect(values(frozen.value) == [3, 4])
        #expect(values(optimizer.stateTensors(for: [frozen])["frozen/step"]) == [0])
        #expect(allClose(values(w.value), [0.9, 1.9], tolerance: 1e-8))
    }

    /// An all-nil step still counts as an iteration (it is a training step for a schedule).
    @Test func allNilStepCountsAsAnIteration() {
        let optimizer = SGD(learningRate: 0.1)
        let w = variable([1], name: "w")
        optimizer.apply(gradients: [nil], to: [w])
        #expect(optimizer.iterations == 1 && values(w.value) == [1])
    }

    /// Updates are not recorded: applying inside a tape's `record` adds nothing to it.
    @Test func updatesAreNotRecorded() {
        let optimizer = Adam(learningRate: 0.1)
        let w = variable(Quadratic.start, name: "w")
        let gradient = Tensor([1, 2, 3] as [Double])
        let tape = GradientTape(persistent: true)
        tape.record {
            tape.watch(gradient)
            _ = w.value * 2
            let before = tape.records.count
            optimizer.apply(gradients: [gradient], to: [w])
            #expect(tape.records.count == before)
        }
    }
}

@Suite struct StateSaveRestoreTests {
    /// Four steps, save, load into a fresh optimizer and a fresh variable with the same
    /// name, six more steps: bit for bit the trajectory of ten uninterrupted steps.
    @Test(arguments: OptimizerCase.all)
    func roundTripContinuesTheIdenticalTrajectory(_ configuration: OptimizerCase) throws {
        let straight = configuration.make()
        let w = variable(Quadratic.start, name: "w")
        var trajectory: [[Double]] = []
        for _ in 0..<10 {
            straight.apply(gradients: try Quadratic.tapeGradients(w), to: [w])
            trajectory.append(values(w.value))
        }

        let first = configuration.make()
        let before = variable(Quadratic.start, name: "w")
        for _ in 0..<4 { first.apply(gradients: try Quadratic.tapeGradients(before), to: [before]) }
        let saved = first.stateTensors(for: [before])

        let second = configuration.make()
        let after = variable(values(before.value), name: "w")
        try second.loadState(saved, for: [after])
        #expect(second.iterations == 4)
        #expect(snapshot(second.stateTensors(for: [after])) == snapshot(saved))
        for k in 4..<10 {
            second.apply(gradients: try Quadratic.tapeGradients(after), to: [after])
            #expect(values(after.value) == trajectory[k], "step \(k + 1)")
        }
    }

    /// The iteration count is part of the state, so a schedule resumes where it was.
    @Test func scheduleResumesAfterLoading() throws {
        let make = { SGD(learningRate: 1, momentum: 0.9, schedule: CosineDecay(initial: 0.1, totalSteps: 10)) }
        let first = make(), w = variable(Quadratic.start, name: "w")
        for _ in 0..<6 { first.apply(gradients: try Quadratic.tapeGradients(w), to: [w]) }
        let second = make()
        try second.loadState(first.stateTensors(for: [w]), for: [w])
        #expect(second.currentLearningRate == first.currentLearningRate)
        #expect(abs(second.currentLearningRate - 0.05 * (1 + cos(Double.pi * 0.6))) < 1e-15)
    }

    @Test func keysFollowTheDocumentedScheme() {
        let w = variable([1, 2], name: "layer.weight")
        func keys(_ optimizer: Optimizer) -> Set<String> { Set(optimizer.stateTensors(for: [w]).keys) }
        let common: Set = ["iterations", "layer.weight/step"]
        #expect(keys(SGD(learningRate: 0.1)) == common)
        #expect(keys(SGD(learningRate: 0.1, momentum: 0.9)) == common.union(["layer.weight/momentum"]))
        #expect(keys(Adam()) == common.union(["layer.weight/firstMoment", "layer.weight/secondMoment"]))
        #expect(keys(AdamW(amsgrad: true)) == common.union(
            ["layer.weight/firstMoment", "layer.weight/secondMoment", "layer.weight/maxSecondMoment"]))
        #expect(keys(RMSProp(momentum: 0.9, centered: true)) == common.union(
            ["layer.weight/squareAverage", "layer.weight/gradientAverage", "layer.weight/momentum"]))
        #expect(keys(Adagrad(initialAccumulatorValue: 0.1)) == common.union(["layer.weight/accumulator"]))
        let state = Adagrad(initialAccumulatorValue: 0.1).stateTensors(for: [w])
        #expect(values(state["layer.weight/accumulator"]) == [0.1, 0.1])
        #expect(state["iterations"]?.dtype == .int32 && state["layer.weight/step"]?.shape == [])
    }
}

@Suite struct StateLoadFailureTests {
    /// An Adam that has taken three steps on `w` and `u`, a good state from a different
    /// run to load, and a snapshot of the optimizer's state before loading.
    private func setUp() throws -> (Adam, Variable, Variable, good: [String: Tensor], before: [String: [Double]]) {
        let optimizer = Adam(learningRate: 0.1)
        let w = variable(Quadratic.start, name: "w"), u = variable(Quadratic.otherStart, name: "u")
        for _ in 0..<3 { optimizer.apply(gradients: try Quadratic.tapeGradients(w, u), to: [w, u]) }
        let other = Adam(learningRate: 0.1)
        let w2 = variable([0, 0, 0], name: "w"), u2 = variable([0, 0], name: "u")
        for _ in 0..<5 { other.apply(gradients: try Quadratic.tapeGradients(w2, u2), to: [w2, u2]) }
        return (optimizer, w, u, other.stateTensors(for: [w2, u2]), snapshot(optimizer.stateTensors(for: [w, u])))
    }

    @Test func goodStateLoads() throws {
        let (optimizer, w, u, good, _) = try setUp()
        try optimizer.loadState(good, for: [w, u])
        #expect(snapshot(optimizer.stateTensors(for: [w, u])) == snapshot(good))
    }

    /// Each bad state is refused with an error naming the entry, and the optimizer keeps
    /// its state and its next step — even when the bad entry belongs to the second
    /// variable and the first one's entries were fine.
    @Test(arguments: [
        ("missing", "u/secondMoment"), ("shape", "u/firstMoment"), ("dtype", "u/secondMoment"),
        ("missing", "iterations"), ("missing", "w/step"), ("negative", "u/step"), ("fraction", "iterations"),
        ("shape", "w/step"),
    ])
    func badStateIsRefusedAndChangesNothing(_ kind: String, _ key: String) throws {
        let (optimizer, w, u, good, before) = try setUp()
        var bad = good
        let expectedError: OptimizerStateError
        switch kind {
        case "missing":
            bad[key] = nil
            expectedError = .missingEntry(key: key)
        case "shape":
            bad[key] = Tensor([1, 2, 3, 4] as [Double])
            let expected: Shape = key.hasSuffix("/step") ? [] : u.shape
            expectedError = key.hasSuffix("/step")
                ? .invalidCount(key: key, found: "float64 tensor of shape [4]")
                : .shapeMismatch(key: key, expected: expected, found: [4])
        case "dtype":
            bad[key] = Tensor([1, 2] as [Float])
            expectedError = .typeMismatch(key: key, expected: .float64, found: .float32)
        case "negative":
            bad[key] = Tensor(Int32(-1))
            expectedError = .invalidCount(key: key, found: "-1.0")
        default:
            bad[key] = Tensor(Double(2.5))
            expectedError = .invalidCount(key: key, found: "2.5")
        }
        #expect(throws: expectedError) { try optimizer.loadState(bad, for: [w, u]) }
        #expect(snapshot(optimizer.stateTensors(for: [w, u])) == before)
        #expect(expectedError.description.contains("'\(key)'"))

        // The next step is the one an untouched twin takes.
        let (twin, tw, tu, _, _) = try setUp()
        optimizer.apply(gradients: try Quadratic.tapeGradients(w, u), to: [w, u])
        twin.apply(gradients: try Quadratic.tapeGradients(tw, tu), to: [tw, tu])
        #expect(values(w.value) == values(tw.value) && values(u.value) == values(tu.value))
    }

    /// Step counts saved as float64 (as some checkpoint formats would) load too.
    @Test func wholeNumberStepInAnotherTypeLoads() throws {
        let (optimizer, w, u, good, _) = try setUp()
        var state = good
        state["w/step"] = Tensor(Double(5.0))
        try optimizer.loadState(state, for: [w, u])
        #expect(values(optimizer.stateTensors(for: [w])["w/step"]) == [5])
    }

    /// A variable loaded with step 0 starts over: fresh slots, first step next time.
    @Test func stepZeroMeansNotUpdatedYet() throws {
        let (optimizer, w, u, good, _) = try setUp()
        var state = good
        state["u/step"] = Tensor(Int32(0))
        try optimizer.loadState(state, for: [w, u])
        let loaded = optimizer.stateTensors(for: [u])
        #expect(values(loaded["u/firstMoment"]) == [0, 0] && values(loaded["u/secondMoment"]) == [0, 0])
    }
}

/// The fused updates write the optimizer's own slots in place, never a tensor someone else holds.
@Suite struct OptimizerAliasingTests {
    @Test(arguments: ["adam", "sgd", "rmsprop", "adagrad"])
    func savedStateAndOldValuesKeepTheirNumbers(name: String) {
        let w = Variable(Tensor([1, 2] as [Float]), name: "w")
        let optimizer: Optimizer = switch name {
        case "adam": Adam(learningRate: 0.1)
        case "sgd": SGD(learningRate: 0.1, momentum: 0.9)
        case "rmsprop": RMSProp(momentum: 0.9, centered: true)
        default: Adagrad(learningRate: 0.1)
        }
        let gradient = Tensor([0.5, -0.5] as [Float])
        optimizer.apply(gradients: [gradient], to: [w])
        let saved = optimizer.stateTensors(for: [w])
        let savedCopy = saved.mapValues { $0.scalars(as: Double.self) }
        let oldValue = w.value
        let oldNumbers = oldValue.scalars(as: Float.self)
        optimizer.apply(gradients: [gradient], to: [w])
        #expect(saved.mapValues { $0.scalars(as: Double.self) } == savedCopy)
        #expect(oldValue.scalars(as: Float.self) == oldNumbers)
        #expect(gradient.scalars(as: Float.self) == [0.5, -0.5])
        #expect(w.value.scalars(as: Float.self) != oldNumbers)
    }
}

/// The fused rules write a variable's value in place when nothing else holds it, and leave
/// a value a tape or the caller still holds alone.
@Suite struct InPlaceUpdateTests {
    private static func address(_ variable: Variable) -> UnsafeRawPointer? {
        variable.value.withUnsafeScalars(as: Float.self) { UnsafeRawPointer($0.baseAddress) }
    }

    @Test(arguments: ["adam", "adamw", "sgd", "rmsprop", "adagrad", "sgd-momentum"])
    func anUnsharedValueIsWrittenInPlace(name: String) {
        let w = Variable(Tensor([1, 2, 3] as [Float]), name: "w")
        let optimizer: Optimizer = switch name {
        case "adam": Adam(learningRate: 0.1)
        case "adamw": AdamW(learningRate: 0.1)
        case "sgd": SGD(learningRate: 0.1)
        case "rmsprop": RMSProp(momentum: 0.9, centered: true)
        case "adagrad": Adagrad(learningRate: 0.1)
        default: SGD(learningRate: 0.1, momentum: 0.9)
        }
        let before = Self.address(w)
        for _ in 0..<3 { optimizer.apply(gradients: [Tensor([0.5, -0.5, 1] as [Float])], to: [w]) }
        #expect(Self.address(w) == before)
    }

    /// A persistent tape saved w (w·w saves both operands): after the step it still answers
    /// with the old value, 2·w_old, while the variable moved.
    @Test func aValueSavedOnATapeKeepsItsNumbers() throws {
        let w = Variable(Tensor([1, 2] as [Double]), name: "w")
        let tape = GradientTape(persistent: true)
        let loss = tape.record { (w.value * w.value).sum() }
        let first = try #require(try tape.gradient(of: loss, wrt: w))
        #expect(values(first) == [2, 4])
        Adam(learningRate: 0.5).apply(gradients: [first], to: [w])
        #expect(values(w.value) != [1, 2])
        #expect(values(try tape.gradient(of: loss, wrt: w)) == [2, 4])
    }

    @Test func modifyKeepsTheVariableIdentityOnTapes() throws {
        let w = Variable(Tensor([3] as [Double]), name: "w")
        w.modify { value in value.withUnsafeMutableScalars(as: Double.self) { $0[0] = 5 } }
        let tape = GradientTape()
        let y = tape.record { w.value * w.value }
        #expect(values(try tape.gradient(of: y, wrt: w)) == [10])
    }
}
