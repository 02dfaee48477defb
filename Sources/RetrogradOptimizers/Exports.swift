// Re-exported so that `import RetrogradOptimizers` brings tensors, variables and the tape too.
@_exported import Retrograd
