import Retrograd

extension ProcessGroup {
    /// The gradients averaged over the ranks, each rank's weighted by `weight`:
    /// Σᵣ wᵣ·gᵣ / Σᵣ wᵣ, aligned with `variables`.
    ///
    /// With mean-reduced losses, pass each rank's number of examples in its batch (or that
    /// number divided by any constant every rank uses, such as the full per-rank batch
    /// size): the result is then the gradient of the mean loss over the union of the
    /// ranks' batches, exactly what one process computes on the combined batch, also when
    /// the last batch of an epoch splits unevenly. With equal batches the default weight 1
    /// gives the plain mean. A rank whose batch is empty passes weight 0 (and `nil`
    /// gradients).
    ///
    /// A `nil` gradient counts as zero on its rank; a variable that has `nil` on every rank
    /// stays `nil`, so the optimizer skips it as it skips any `nil` gradient. When every
    /// rank's weight is 0, every gradient is `nil`.
    ///
    /// The gradients and a header (the weight and which gradients are present) travel in
    /// one buffer per element type: one `MPI_Allreduce` for a float32 model. In a
    /// ``single`` group the gradients come back unchanged (all `nil` for weight 0).
    ///
    /// - Parameters:
    ///   - gradients: This rank's gradients, as `tape.gradient(of:wrt:)` returned them for
    ///     `variables`.
    ///   - variables: The variables, the same names, shapes and element types on every rank.
    ///   - weight: This rank's weight, finite and not negative.
    public func averageGradients(_ gradients: [Tensor?], for variables: [Variable], weight: Double = 1) -> [Tensor?] {
        let operation = "ProcessGroup.averageGradients(_:for:weight:)"
        checkPrecondition(
            gradients.count == variables.count,
            "\(operation): \(gradients.count) gradients for \(variables.count) variables; pass the list the tape returned "
                + "for exactly these variables")
        checkPrecondition(weight >= 0 && weight.isFinite, "\(operation): weight must be finite and not negative, got \(weight)")
        for (gradient, variable) in zip(gradients, variables) {
            checkPrecondition(
                variable.dtype.isFloatingPoint,
                "\(operation): variable '\(variable.name)' holds \(variable.dtype); only float32 and float64 gradients are averaged")
            guard let gradient else { continue }
            checkPrecondition(
                gradient.shape == variable.shape && gradient.dtype == variable.dtype,
                "\(operation): the gradient for variable '\(variable.name)' is \(gradient.dtype) \(gradient.shape), but the "
                    + "variable holds \(variable.dtype) \(variable.shape)")
        }
        guard usesMPI else { return weight > 0 ? gradients : gradients.map { _ in nil } }
        var results = [Tensor?](repeating: nil, count: gradients.count)
        // The first buffer also carries a header: the weight, then one presence flag per
        // variable; the later buffers divide by the total weight it brought back.
        var reducedHeader = [Double]()
        for (index, dtype) in Self.dtypesInOrder(variables.map(\.dtype)).enumerated() {
            let positions = variables.indices.filter { variables[$0].dtype == dtype }
            let header = index == 0 ? [weight] + gradients.map { $0 == nil ? 0 : 1 } : []
            let parts = positions.map { gradients[$0] }, shapes = positions.map { variables[$0].shape }
            let divisor = { (header: [Double]) in index == 0 ? header[0] : reducedHeader[0] }
            let reduced = dtype == .float64
                ? FusedBuffer<Double>.reduce(parts, shapes: shapes, header: header, scale: weight, operation: .sum, in: self, divisor: divisor)
                : FusedBuffer<Float>.reduce(parts, shapes: shapes, header: header, scale: weight, operation: .sum, in: self, divisor: divisor)
            if index == 0 { reducedHeader = reduced.header }
            for (position, tensor) in zip(positions, reduced.tensors) { results[position] = tensor }
        }
        let totalWeight = reducedHeader[0]
        return results.enumerated().map { index, gradient in totalWeight > 0 && reducedHeader[index + 1] > 0 ? gradient : nil }
    }
}
