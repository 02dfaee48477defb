// Re-exported so that `import RetrogradNN` brings tensors, variables and the tape too.
@_exported import Retrograd
