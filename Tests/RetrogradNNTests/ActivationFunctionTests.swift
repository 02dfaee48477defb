import Testing
import RetrogradNN

// ELU, GELU (exact and tanh) and SiLU: values and first derivatives against CPython 3.11's
// math module, gradients to second order against finite differences, and extreme inputs.

/// One activation with reference values at ``ActivationFunctionTests/points`` and
/// derivatives at ``ActivationFunctionTests/slopePoints``.
struct ActivationReference: CustomTestStringConvertible, Sendable {
    let name: String
    let apply: @Sendable (Tensor) -> Tensor
    /// From CPython: elu `x if x > 0 else alpha*(math.exp(x)-1)`; gelu
    /// `0.5*x*(1+math.erf(x/math.sqrt(2)))`; gelu(tanh)
    /// `0.5*x*(1+math.tanh(math.sqrt(2/math.pi)*(x+0.044715*x**3)))`; silu `x/(1+math.exp(-x))`.
    let values: [Double]
    /// The derivatives written out by hand (elu: alpha·eˣ; gelu: Φ(x) + x·φ(x); gelu(tanh):
    /// 0.5(1 + t) + 0.5x(1 − t²)·c·(1 + 3·0.044715x²), t = tanh(c(x + 0.044715x³)),
    /// c = √(2/π); silu: σ(x)(1 + x(1 − σ(x)))), evaluated with CPython's math module.
    let slopes: [Double]

    var testDescription: String { name }
}

@Suite struct ActivationFunctionTests {
    static let points: [Double] = [-3, -1, -0.25, 0, 0.5, 2]
    static let slopePoints: [Double] = [-1.5, 0.75]

    static let references: [ActivationReference] = [
        ActivationReference(
            name: "elu", apply: { $0.elu() },
            values: [-0.950212931632136, -0.6321205588285577, -0.22119921692859512, 0, 0.5, 2],
            slopes: [0.22313016014842982, 1]),
        ActivationReference(
            name: "elu(alpha: 0.5)", apply: { $0.elu(alpha: 0.5) },
            values: [-0.475106465816068, -0.31606027941427883, -0.11059960846429756, 0, 0.5, 2],
            slopes: [0.11156508007421491, 1]),
        ActivationReference(
            name: "gelu", apply: { $0.gelu() },
            values: [-0.00404969409489031, -0.15865525393145707, -0.10032341857926907, 0, 0.34573123063700656, 1.9544997361036416],
            slopes: [-0.12746919222997954, 0.9992257217392351]),
        ActivationReference(
            name: "gelu(approximate: true)", apply: { $0.gelu(approximate: true) },
            values: [-0.0036373920817729943, -0.15880800939172324, -0.100324649298315, 0, 0.34571400982514394, 1.954597694087775],
            slopes: [-0.1277107931514331, 0.9989382561374143]),
        ActivationReference(
            name: "silu", apply: { $0.silu() },
            values: [-0.14227761953270035, -0.2689414213699951, -0.10945587477855048, 0, 0.3112296656009273, 1.7615941559557646],
            slopes: [-0.041294154299142946, 0.8425999444967536]),
    ]

    @Test(arguments: references)
    func valuesMatchCPython(_ reference: ActivationReference) {
        let float64 = reference.apply(Tensor(Self.points)).scalars(as: Double.self)
        for (value, expected) in zip(float64, reference.values) {
            #expect(abs(value - expected) <= 1e-15 + 1e-14 * abs(expected), "\(reference.name): \(float64)")
        }
        let float32 = reference.apply(Tensor(Self.points.map { Float($0) })).scalars(as: Float.self)
        for (value, expected) in zip(float32, reference.values) {
            #expect(abs(Double(value) - expected) <= 1e-6 * max(1, abs(expected)), "\(reference.name): \(float32)")
        }
    }

    @Test(arguments: references)
    func derivativesMatchTheHandWrittenOnes(_ reference: ActivationReference) throws {
        let x = Tensor(Self.slopePoints)
        let tape = GradientTape()
        tape.watch(x)
        let y = tape.record { reference.apply(x).sum() }
        let gradient = try #require(try tape.gradient(of: y, wrt: x)).scalars(as: Double.self)
        for (slope, expected) in zip(gradient, reference.slopes) {
            #expect(abs(slope - expected) <= 1e-14, "\(reference.name): \(gradient)")
        }
    }

    @Test(arguments: references)
    func gradientsMatchFiniteDifferencesToSecondOrder(_ reference: ActivationReference) {
        // Away from 0, where ELU with alpha ≠ 1 has a kink.
        let x = Tensor([-2.1, -0.7, -0.3, 0.4, 1.3, 2.6] as [Double], shape: [2, 3])
        let report = checkGradients(of: { reference.apply($0[0]) }, at: [x], order: 2)
        #expect(report.passed, "\(reference.name):\n\(report)")
    }

    @Test(arguments: references)
    func extremeInputsGiveFiniteValuesAndGradients(_ reference: ActivationReference) throws {
        let x = Tensor([-1000, -50, 50, 1000] as [Double])
        let tape = GradientTape()
        tape.watch(x)
        let (y, total) = tape.record {
            let y = reference.apply(x)
            return (y, y.sum())
        }
        let gradient = try #require(try tape.gradient(of: total, wrt: x))
        let values = y.scalars(as: Double.self), slopes = gradient.scalars(as: Double.self)
        #expect(values.allSatisfy { $0.isFinite }, "\(reference.name): \(y)")
        #expect(slopes.allSatisfy { $0.isFinite }, "\(reference.name): \(gradient)")
        // Far out every one of them is the identity on the right.
        #expect(values[3] == 1000 && slopes[3] == 1, "\(reference.name): \(values) \(slopes)")
    }

    @Test func theActivationCasesApplyTheTensorMethods() {
        let x = Tensor(Self.points)
        let pairs: [(Activation, Tensor)] = [
            (.elu(), x.elu()), (.elu(alpha: 0.5), x.elu(alpha: 0.5)), (.gelu(), x.gelu()),
            (.gelu(approximate: true), x.gelu(approximate: true)), (.silu, x.silu()),
        ]
        for (activation, expected) in pairs {
            #expect(activation(x).scalars(as: Double.self) == expected.scalars(as: Double.self), "\(activation)")
        }
    }
}
