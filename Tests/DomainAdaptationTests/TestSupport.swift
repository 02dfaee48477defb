import Foundation
import Testing
@_exported import RetrogradTestSupport
@testable import DomainAdaptation

extension ScratchDirectory {
    /// Writes `tensor` as a `.npy` file in the directory and returns its URL.
    func write(_ tensor: Tensor, to name: String) throws -> URL {
        let target = file(name)
        try NPY.write(tensor, to: target)
        return target
    }
}
