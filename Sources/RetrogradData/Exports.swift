// Re-exported so that `import RetrogradData` brings tensors, variables and the tape too.
@_exported import Retrograd
