// The smooth activations of current networks, written with differentiable tensor ops (so
// their gradients, and the gradients of those, come from the tape): ELU, GELU (exact and
// tanh-approximated) and SiLU.

extension Tensor {
    /// The exponential linear unit: x for x > 0, `alpha`·(eˣ − 1) otherwise (Clevert et al.,
    /// 2016; PyTorch's `elu`, Keras' `elu`).
    ///
    /// The gradient at 0 is `alpha` (the left branch), as in PyTorch; with the default
    /// `alpha` of 1 the function is differentiable there.
    ///
    /// - Parameter alpha: The value approached as x → −∞ is −`alpha`.
    public func elu(alpha: Double = 1) -> Tensor {
        // exp of min(x, 0): the branch select discards never overflows, so its zero
        // gradient stays zero instead of 0·∞.
        select(self .> 0, self, (minimum(0).exp() - 1) * alpha)
    }

    /// The Gaussian error linear unit x·Φ(x), Φ the standard normal distribution function
    /// (Hendrycks and Gimpel, 2016).
    ///
    /// Exact by default, 0.5·x·(1 + erf(x/√2)), as PyTorch's `gelu` and Keras' `gelu` with
    /// `approximate=False`. With `approximate` set, the tanh form of the paper (and of
    /// `approximate='tanh'`): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
    public func gelu(approximate: Bool = false) -> Tensor {
        if approximate {
            let inner = (self + self.pow(3) * 0.044715) * (2 / Double.pi).squareRoot()
            return self * 0.5 * (inner.tanh() + 1)
        }
        return self * 0.5 * ((self * 0.5.squareRoot()).erf() + 1)
    }

    /// The sigmoid linear unit x·σ(x), also called swish (Elfwing et al., 2018; Ramachandran
    /// et al., 2017); PyTorch's `silu`.
    public func silu() -> Tensor { self * sigmoid() }
}
