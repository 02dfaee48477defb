// An optimizer written outside the library by subclassing `Optimizer`: it gets the
// learning rate, schedule, iterations, apply with its checks, nil-gradient handling and
// state save/load from the base class, and only declares a slot and its update.

import Testing
import RetrogradOptimizers
import RetrogradTestSupport

/// Sign SGD with momentum: b = μ·b + g, θ = θ − η·sign(b), written with tensor ops.
private final class SignSGD: Optimizer {
    let momentum: Double

    init(learningRate: Double, momentum: Double) {
        self.momentum = momentum
        super.init(learningRate: learningRate, slots: [OptimizerSlot("momentum")])
    }

    override func update(
        _ value: inout Tensor, gradient: Tensor, slots: inout [Tensor], stepCount: Int, learningRate: Double
    ) {
        slots[0] = slots[0] * momentum + gradient
        value = value - slots[0].sign() * learningRate
    }
}

/// Forgets to keep its slot: the base class stops with a message.
private final class SlotDropper: Optimizer {
    init() { super.init(learningRate: 0.1, slots: [OptimizerSlot("velocity")]) }

    override func update(
        _ value: inout Tensor, gradient: Tensor, slots: inout [Tensor], stepCount: Int, learningRate: Double
    ) {
        slots = []
    }
}

@Suite struct CustomOptimizerTests {
    /// Three steps with μ = 0.5, η = 0.1 from w = [1, −2, 0.5], worked by hand:
    ///
    ///     g₁ = [1, −1, 0]:    b = [1, −1, 0],       θ = [0.9, −1.9, 0.5]
    ///     g₂ = [−3, 0.5, 2]:  b = [−2.5, 0, 2],     θ = [1.0, −1.9, 0.4]
    ///     g₃ = [1, 1, 1]:     b = [−0.25, 1, 2],    θ = [1.1, −2.0, 0.3]
    ///
    /// `u` gets nil on the first two steps, so it stays put and its state stays fresh.
    /// The state after two steps, loaded into a new optimizer, takes the same third step.
    @Test func signSGDFollowsItsRuleAndRoundTripsItsState() throws {
        let optimizer = SignSGD(learningRate: 0.1, momentum: 0.5)
        let w = variable([1, -2, 0.5], name: "w"), u = variable([4], name: "u")
        optimizer.apply(gradients: [Tensor([1, -1, 0] as [Double]), nil], to: [w, u])
        #expect(allClose(values(w.value), [0.9, -1.9, 0.5]))
        optimizer.apply(gradients: [Tensor([-3, 0.5, 2] as [Double]), nil], to: [w, u])
        #expect(allClose(values(w.value), [1.0, -1.9, 0.4]))
        #expect(values(u.value) == [4])
        #expect(optimizer.iterations == 2)

        let state = optimizer.stateTensors(for: [w, u])
        #expect(Set(state.keys) == ["iterations", "w/step", "w/momentum", "u/step", "u/momentum"])
        #expect(values(state["iterations"]) == [2] && values(state["w/step"]) == [2] && values(state["u/step"]) == [0])
        #expect(allClose(values(state["w/momentum"]), [-2.5, 0, 2]) && values(state["u/momentum"]) == [0])

        let restored = SignSGD(learningRate: 0.1, momentum: 0.5)
        let w2 = variable(values(w.value), name: "w"), u2 = variable([4], name: "u")
        try restored.loadState(state, for: [w2, u2])
        #expect(restored.iterations == 2)
        let g3 = Tensor([1, 1, 1] as [Double])
        optimizer.apply(gradients: [g3, nil], to: [w, u])
        restored.apply(gradients: [g3, nil], to: [w2, u2])
        #expect(allClose(values(w.value), [1.1, -2.0, 0.3]))
        #expect(values(w2.value) == values(w.value))
        #expect(allClose(values(restored.stateTensors(for: [w2])["w/momentum"]), [-0.25, 1, 2]))
    }

    /// A schedule set on the subclass decides the rate its update receives.
    @Test func theScheduleReachesTheUpdate() {
        let optimizer = SignSGD(learningRate: 1, momentum: 0)
        optimizer.schedule = StepDecay(initial: 0.5, stepSize: 1, factor: 0.1)
        let w = variable([0], name: "w")
        for _ in 0..<2 { optimizer.apply(gradients: [Tensor([1] as [Double])], to: [w]) }
        #expect(allClose(values(w.value), [-0.55]))  // −0.5, then −0.05
        #expect(allClose([optimizer.currentLearningRate], [0.005]))
    }

    /// The base class checks a subclass's state like a built-in one's.
    @Test func aStateWithoutTheSlotIsRefused() {
        let w = variable([1], name: "w")
        let state = ["iterations": Tensor(Int32(1)), "w/step": Tensor(Int32(1))]
        #expect(throws: OptimizerStateError.missingEntry(key: "w/momentum")) {
            try SignSGD(learningRate: 0.1, momentum: 0.9).loadState(state, for: [w])
        }
    }

    @Test func anUpdateThatDropsItsSlotsStops() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            SlotDropper().apply(gradients: [Tensor([1] as [Double])], to: [Variable(Tensor([1] as [Double]), name: "w")])
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("SlotDropper.update") && message.contains("'w'") && message.contains("1 declared"), "\(message)")
    }
}
