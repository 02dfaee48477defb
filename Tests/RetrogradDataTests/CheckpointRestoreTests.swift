import Foundation
import Testing
@testable import RetrogradData

/// A small model's variables with distinct values.
private func makeVariables() -> [Variable] {
    [
        Variable(Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3]), name: "0.weight"),
        Variable(Tensor([0.5, -0.5, 0.25] as [Double], shape: [3]), name: "0.bias"),
        Variable(Tensor(Int32(3)), name: "counter", trainable: false),
    ]
}

/// Every variable's name and element bit patterns, to prove nothing changed.
private func snapshot(_ variables: [Variable]) -> [String: [UInt64]] {
    Dictionary(uniqueKeysWithValues: variables.map { ($0.name, bitPatterns($0.value)) })
}

/// Sets every variable to zeros of its shape.
private func zeroOut(_ variables: [Variable]) {
    for v in variables { v.assign(Tensor.zeros(shape: v.shape, dtype: v.dtype)) }
}

@Suite struct CheckpointRestoreTests {
    @Test func saveAndRestoreVariables() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let url = dir.file("model.safetensors")
        let variables = makeVariables()
        let saved = snapshot(variables)
        try Checkpoint.save(variables: variables, metadata: ["epoch": "3"], to: url)
        zeroOut(variables)
        let checkpoint = try Checkpoint.load(from: url)
        #expect(Set(checkpoint.tensors.keys) == ["0.weight", "0.bias", "counter"])
        #expect(checkpoint.metadata == ["epoch": "3"])
        try checkpoint.restore(into: variables)
        #expect(snapshot(variables) == saved)
    }

    @Test func extraTensorsAreKeptAndNotUnexpected() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let url = dir.file("model.safetensors")
        let variables = makeVariables()
        let step = Tensor(Int32(1000))
        try Checkpoint.save(variables: variables, extra: ["optimizer.step": step], metadata: ["lr": "0.05"], to: url)
        let checkpoint = try Checkpoint.load(from: url)
        #expect(checkpoint.extra.keys.sorted() == ["optimizer.step"])
        #expect(checkpoint.extra["optimizer.step"]?.scalars(as: Int32.self) == [1000])
        #expect(checkpoint.metadata["lr"] == "0.05")
        #expect(checkpoint.metadata[Checkpoint.extraNamesKey] == #"["optimizer.step"]"#)
        try checkpoint.restore(into: variables)  // strict, yet the extra entry is fine
    }

    @Test func missingEntryChangesNothing() throws {
        let variables = makeVariables()
        let checkpoint = try Checkpoint(variables: Array(variables[0..<2]))
        zeroOut(variables)
        let before = snapshot(variables)
        let error = thrownError(CheckpointError.self) { try checkpoint.restore(into: variables) }
        #expect(error == .missingEntry(name: "counter", file: nil))
        #expect(error?.description.contains("'counter'") == true)
        #expect(snapshot(variables) == before)  // 0.weight and 0.bias were valid but not assigned
    }

    @Test func unexpectedEntryChangesNothingUnlessNotStrict() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let url = dir.file("bigger.safetensors")
        var tensors = try Checkpoint(variables: makeVariables()).tensors
        tensors["1.weight"] = Tensor([7] as [Float])
        try Checkpoint.save(tensors, to: url)
        let checkpoint = try Checkpoint.load(from: url)
        let variables = makeVariables()
        zeroOut(variables)
        let before = snapshot(variables)
        let error = thrownError(CheckpointError.self) { try checkpoint.restore(into: variables) }
        #expect(error == .unexpectedEntry(name: "1.weight", file: url.path))
        #expect(error?.description.contains("bigger.safetensors") == true)
        #expect(error?.description.contains("'1.weight'") == true)
        #expect(snapshot(variables) == before)
        try checkpoint.restore(into: variables, strict: false)
        #expect(snapshot(variables) == snapshot(makeVariables()))
    }

    @Test func shapeMismatchChangesNothing() throws {
        var tensors = try Checkpoint(variables: makeVariables()).tensors
        tensors["0.bias"] = Tensor([1, 2, 3, 4] as [Double], shape: [4])
        let checkpoint = Checkpoint(tensors: tensors)
        let variables = makeVariables()
        zeroOut(variables)
        let before = snapshot(variables)
        let error = thrownError(CheckpointError.self) { try checkpoint.restore(into: variables) }
        #expect(error == .shapeMismatch(name: "0.bias", expected: [3], found: [4], file: nil))
        #expect(error?.description.contains("[3]") == true && error?.description.contains("[4]") == true)
        #expect(snapshot(variables) == before)
    }

    @Test func dtypeMismatchChangesNothing() throws {
        var tensors = try Checkpoint(variables: makeVariables()).tensors
        tensors["0.weight"] = Tensor([1, 2, 3, 4, 5, 6] as [Double], shape: [2, 3])
        let variables = makeVariables()
        zeroOut(variables)
        let before = snapshot(variables)
        #expect(throws: CheckpointError.dtypeMismatch(name: "0.weight", expected: .float32, found: .float64, file: nil)) {
            try Checkpoint(tensors: tensors).restore(into: variables)
        }
        #expect(snapshot(variables) == before)
    }

    @Test func duplicateAndReservedNamesAreRejected() throws {
        let twins = [Variable(Tensor(Float(1)), name: "w"), Variable(Tensor(Float(2)), name: "w")]
        #expect(throws: CheckpointError.duplicateName(name: "w")) { try Checkpoint(variables: twins) }
        #expect(throws: CheckpointError.duplicateName(name: "w")) {
            try Checkpoint(variables: [twins[0]], extra: ["w": Tensor(Float(0))])
        }
        #expect(throws: CheckpointError.duplicateName(name: "w")) {
            try Checkpoint(tensors: ["w": Tensor(Float(5))]).restore(into: twins)
        }
        #expect(twins.map { $0.value.scalar(as: Float.self) } == [1, 2])
        #expect(throws: CheckpointError.reservedName(name: "__metadata__")) {
            try Checkpoint(variables: [Variable(Tensor(Float(1)), name: "__metadata__")])
        }
        #expect(throws: CheckpointError.reservedName(name: Checkpoint.extraNamesKey)) {
            try Checkpoint(variables: [], metadata: [Checkpoint.extraNamesKey: "[]"])
        }
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let url = dir.file("dup.safetensors")
        #expect(throws: CheckpointError.duplicateName(name: "w")) { try Checkpoint.save(variables: twins, to: url) }
        #expect(try dir.contents() == [])
    }
}
