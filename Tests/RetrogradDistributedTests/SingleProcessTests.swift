import Foundation
import Retrograd
@testable import RetrogradDistributed
import RetrogradOptimizers
import Testing

/// The API in one process, without MPI: what every program gets when mpirun did not start it.
@Suite("ProcessGroup without mpirun")
struct SingleProcessTests {
    @Test("the single group is rank 0 of 1 and its collectives return their input")
    func singleGroup() throws {
        let group = ProcessGroup.single
        #expect(group.rank == 0 && group.size == 1 && group.isMain && !group.isDistributed)
        let tensors = [Tensor([1, 2] as [Double]), Tensor([3] as [Float])]
        let reduced = group.allReduce(tensors, .mean)
        #expect(reduced.map { $0.scalars(as: Double.self) } == [[1, 2], [3]])
        #expect(group.allReduce([2.5, -1], .max) == [2.5, -1])
        #expect(group.anyRank(true) && !group.anyRank(false))
        try group.checkAgreement([AgreementFact("configuration", text: "anything")])
        #expect(group.statistics == CommunicationStatistics())
    }

    @Test("without OMPI_COMM_WORLD_SIZE, world() is the single group and loads no MPI")
    func worldWithoutMPIRun() throws {
        try #require(ProcessGroup.launchSize == nil, "the test runner itself was started by mpirun")
        #expect(try ProcessGroup.world() === ProcessGroup.single)
        #expect(ProcessGroup.started == nil)
    }

    @Test("weight 0 gives nil gradients; a positive weight leaves them unchanged")
    func weightsInOneProcess() {
        let variable = Variable(Tensor([1, 2] as [Double]), name: "w")
        let gradient = Tensor([0.5, -0.5] as [Double])
        #expect(ProcessGroup.single.averageGradients([gradient], for: [variable], weight: 3)[0]?.scalars(as: Double.self) == [0.5, -0.5])
        #expect(ProcessGroup.single.averageGradients([gradient], for: [variable], weight: 0)[0] == nil)
    }

    @Test("DistributedOptimizer in one process steps exactly as the optimizer it wraps")
    func optimizerInOneProcess() {
        let plain = Variable(Tensor([1, -2] as [Double]), name: "w"), wrapped = Variable(Tensor([1, -2] as [Double]), name: "w")
        let reference = SGD(learningRate: 0.1, momentum: 0.9)
        let distributed = DistributedOptimizer(SGD(learningRate: 0.1, momentum: 0.9), group: .single)
        for step in 0..<3 {
            let gradient = Tensor([0.25 * Double(step + 1), -1] as [Double])
            reference.apply(gradients: [gradient], to: [plain])
            distributed.apply(gradients: [gradient], to: [wrapped], weight: 4)
        }
        #expect(plain.value.scalars(as: Double.self) == wrapped.value.scalars(as: Double.self))
        #expect(distributed.optimizer.iterations == 3)
    }

    @Test("agreement facts: equal values give equal digests, any change another")
    func agreementDigests() {
        #expect(AgreementFact("c", text: "hidden 64").digest == AgreementFact("c", text: "hidden 64").digest)
        #expect(AgreementFact("c", text: "hidden 64").digest != AgreementFact("c", text: "hidden 65").digest)
        let a = Variable(Tensor([1, 2] as [Double]), name: "a"), b = Variable(Tensor([1, 2] as [Float]), name: "a")
        #expect(AgreementFact.layout(of: [a]).digest != AgreementFact.layout(of: [b]).digest)
        #expect(AgreementFact.contents(of: [Tensor([1, 2] as [Double])], name: "x").digest
            != AgreementFact.contents(of: [Tensor([1, 3] as [Double])], name: "x").digest)
        // FNV-1a 64 of "a" (the published test vector): 0xaf63dc4c8601ec8c.
        #expect(AgreementFact.fnv1a(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
    }

    @Test("a library that is not Open MPI is refused with the missing symbol named")
    func wrongLibrary() {
        let error = DistributedError.libraryUnavailable(worldSize: 2, reason: "libm.so.6 has no symbol 'MPI_Init_thread'")
        #expect(error.description.contains("RETROGRAD_MPI_LIBRARY") && error.description.contains("scripts/setup"))
        #expect(!error.isCollective && DistributedError.mismatch(rank: 1, size: 2, fact: "configuration").isCollective)
    }
}
