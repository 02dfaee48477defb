import Foundation
import Testing
import RetrogradNN

/// Activations are stored by name (checkpoints, configuration files): each name reads back
/// as the same activation, and text that names none is refused.
@Suite struct ActivationNameTests {
    static let all: [(Activation, String)] = [
        (.identity, "identity"), (.relu, "relu"), (.leakyRelu(slope: 0.25), "leakyRelu(0.25)"), (.tanh, "tanh"),
        (.sigmoid, "sigmoid"), (.softplus, "softplus"), (.softmax, "softmax"), (.elu(alpha: 0.5), "elu(0.5)"),
        (.gelu(), "gelu"), (.gelu(approximate: true), "gelu(tanh)"), (.silu, "silu"),
    ]

    @Test(arguments: all)
    func eachActivationRoundTripsThroughItsName(activation: Activation, name: String) throws {
        #expect(activation.description == name)
        #expect(Activation(name: name) == activation)
        let data = try JSONEncoder().encode([activation])
        #expect(String(decoding: data, as: UTF8.self) == "[\"\(name)\"]")
        #expect(try JSONDecoder().decode([Activation].self, from: data) == [activation])
    }

    @Test func aBareLeakyReluHasTheDefaultSlope() {
        #expect(Activation(name: "leakyRelu") == .leakyRelu(slope: 0.01))
    }

    @Test func aBareEluHasAlphaOne() {
        #expect(Activation(name: "elu") == .elu(alpha: 1))
        #expect(Activation.elu().description == "elu(1.0)")
    }

    @Test(arguments: ["swish", "Relu", "leakyRelu()", "leakyRelu(x)", "leakyRelu(inf)", "", "elu()", "elu(nan)", "gelu(erf)", "gelu()"])
    func textThatNamesNoActivationIsRefused(name: String) {
        #expect(Activation(name: name) == nil)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Activation].self, from: Data("[\"\(name)\"]".utf8)) }
    }
}
