/// The version of the Retrograd libraries, as `retrograd --version` and run reports show it.
public let retrogradVersion = "0.1.0"
