extension Dataset {
    /// The same examples with each one's features in a single row: features
    /// `[count, featureCount]`, for models that take vectors (an MLP on images).
    ///
    /// The features are a view of the same elements (no copy); labels are kept.
    public func flattened() -> Dataset {
        features.rank == 2 ? self : reshaped(exampleShape: [featureCount])
    }

    /// The same examples with each one's features laid out as `exampleShape`, such as
    /// `[8, 8, 3]` to see 192-feature rows as 8×8 colour images (channel-last).
    ///
    /// The features are a view of the same elements (no copy), read in row-major order;
    /// labels are kept. `exampleShape` must have as many elements as ``featureCount``
    /// and at most 7 dimensions.
    public func reshaped(exampleShape: Shape) -> Dataset {
        checkPrecondition(
            exampleShape.rank >= 1 && exampleShape.rank < Shape.maximumRank && exampleShape.elementCount == featureCount,
            "Dataset.reshaped: an example has \(featureCount) features (shape \(self.exampleShape)), which cannot be laid out as \(exampleShape)")
        return Dataset(
            checkedFeatures: features.reshaped(to: Shape([count] + exampleShape.dimensions)), labels: labels)
    }
}
