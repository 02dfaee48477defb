import CRetrogradMPI
import Retrograd
import RetrogradData

/// One thing every rank of a run must agree on, such as its configuration or its data,
/// reduced to a 64-bit digest for ``ProcessGroup/checkAgreement(_:)``.
public struct AgreementFact: Sendable, Equatable {
    /// What the fact is, for the error message ("configuration", "training data").
    public let name: String
    /// The FNV-1a digest of the fact's bytes.
    public let digest: UInt64

    /// A fact whose value is `text` (a configuration's JSON, a file name, …).
    public init(_ name: String, text: String) {
        self.name = name
        digest = Self.fnv1a(Array(text.utf8))
    }

    /// The names, shapes and element types of `variables`, in order.
    public static func layout(of variables: [Variable], name: String = "model variables (names, shapes, element types)") -> AgreementFact {
        AgreementFact(name, text: variables.map { "\($0.name) \($0.dtype) \($0.shape)" }.joined(separator: "\n"))
    }

    /// The shapes, element types and every byte of `tensors`: data sets, weights.
    public static func contents(of tensors: [Tensor], name: String) -> AgreementFact {
        var digest = fnv1a(Array(tensors.map { "\($0.dtype) \($0.shape)" }.joined(separator: ";").utf8))
        for tensor in tensors { tensor.withUnsafeBytes { digest = fnv1a($0, continuing: digest) } }
        return AgreementFact(name: name, digest: digest)
    }

    /// The features and labels of `dataset`.
    public static func contents(of dataset: Dataset, name: String) -> AgreementFact {
        contents(of: [dataset.features] + (dataset.labels.map { [$0] } ?? []), name: name)
    }

    private init(name: String, digest: UInt64) {
        self.name = name
        self.digest = digest
    }

    /// FNV-1a, 64-bit, over `bytes`, continuing from `digest`.
    static func fnv1a<Bytes: Sequence<UInt8>>(_ bytes: Bytes, continuing digest: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var hash = digest
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}

extension ProcessGroup {
    /// Checks that every rank holds the same `facts` as rank 0, with one small
    /// `MPI_Allgather` of their digests.
    ///
    /// Every rank passes the same kinds of facts in the same order and gets the same
    /// answer, so on a difference all ranks throw the same error and can stop together.
    ///
    /// ```swift
    /// try group.checkAgreement([
    ///     AgreementFact("configuration", text: configurationJSON),
    ///     .contents(of: trainingSet, name: "training data"),
    ///     .layout(of: model.trainableVariables),
    /// ])
    /// ```
    ///
    /// - Throws: ``DistributedError/mismatch(rank:size:fact:)`` naming the lowest rank
    ///   that differs and the first fact it differs in.
    public func checkAgreement(_ facts: [AgreementFact]) throws(DistributedError) {
        guard usesMPI else { return }
        // The count first, so ranks passing different numbers of facts also disagree.
        let mine = [UInt64(facts.count)] + facts.map(\.digest)
        // Ranks passing different numbers of facts would gather different sizes: pad every
        // rank's list to the longest (its count, first, still differs).
        let common = Int(allReduce([Double(mine.count)], .max)[0])
        var padded = mine + [UInt64](repeating: 0, count: common - mine.count)
        var everyone = [UInt64](repeating: 0, count: common * size)
        lock.withLock {
            padded.withUnsafeMutableBytes { mineBytes in
                everyone.withUnsafeMutableBytes { allBytes in
                    requireSuccess(rg_mpi_allgather(mineBytes.baseAddress, allBytes.baseAddress, Int32(mineBytes.count)), "MPI_Allgather")
                }
            }
        }
        let reference = everyone[0..<common]
        for other in 1..<size {
            let theirs = everyone[(other * common)..<((other + 1) * common)]
            guard let position = zip(reference, theirs).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset else {
                continue
            }
            let fact = position == 0 || position > facts.count ? "number of agreement facts" : facts[position - 1].name
            throw .mismatch(rank: other, size: size, fact: fact)
        }
    }
}
