import RetrogradDistributed

// What changes when several processes share every step (``DANNTrainer/group``): the
// gradients are averaged by rows (in `step`), and the epoch's training figures are the
// means over the whole batches, reduced once per epoch.
extension DANNTrainer {
    /// A step on an empty shard: no forward pass, only the (collective) update with weight 0.
    func skippedStep() -> (labelLoss: Double, domainLoss: Double, accuracy: Double, domainAccuracy: Double) {
        let nothing = variables.map { _ in Tensor?.none }
        optimizer.apply(gradients: group.averageGradients(nothing, for: variables, weight: 0), to: variables)
        return (0, 0, 0, 0)
    }

    /// A step's figures on this shard, each times its rows, after the rows: summed over the
    /// processes and divided by the summed rows they give the whole batch's figures (each
    /// is a mean over the shard's source rows, or over as many source and target rows).
    static func weightedFigures(
        _ figures: (labelLoss: Double, domainLoss: Double, accuracy: Double, domainAccuracy: Double), rows: Int
    ) -> [Double] {
        let weight = Double(rows)
        return [weight, figures.labelLoss * weight, figures.domainLoss * weight, figures.accuracy * weight, figures.domainAccuracy * weight]
    }

    /// The epoch's means of the whole batches' figures, from every step's ``weightedFigures(_:rows:)``
    /// summed over the processes (one reduction per epoch).
    func combinedMeans(_ shares: [Double]) -> RunningMeans {
        let summed = group.allReduce(shares, .sum)
        var means = RunningMeans()
        for step in stride(from: 0, to: summed.count, by: 5) {
            let rows = summed[step]
            means.add(
                labelLoss: summed[step + 1] / rows, domainLoss: summed[step + 2] / rows, accuracy: summed[step + 3] / rows,
                domainAccuracy: summed[step + 4] / rows)
        }
        return means
    }
}
