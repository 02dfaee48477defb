// The update rules of SGD and Adam/AdamW as single passes over the elements (C kernels in
// CRetrogradKernels/optimizers.c): one read of θ, g and the slots, one write of each. The
// slot tensors are updated in place when the optimizer holds the only reference to them
// (copy-on-write otherwise), and θ is written to a new tensor, since the tape that
// computed the gradient may still hold the old value.
//
// The arithmetic is the same, in the same order and element type, as writing the rule
// with tensor ops (`m * β₁ + d * (1 − β₁)`, …); constants are rounded to the element type
// first, as a tensor op with a Swift number does.
import CRetrogradKernels

/// SGD's rule (see ``SGD``) for one variable: updates the momentum buffer in `slots` and
/// returns the new value.
func sgdUpdate(theta: Tensor, gradient: Tensor, slots: inout [Tensor], _ step: rg_sgd_step) -> Tensor {
    switch theta.dtype {
    case .float32: return sgdKernel(Float.self, theta, gradient, &slots, step)
    default: return sgdKernel(Double.self, theta, gradient, &slots, step)
    }
}

private func sgdKernel<T: TensorScalar>(_: T.Type, _ theta: Tensor, _ gradient: Tensor, _ slots: inout [Tensor], _ step: rg_sgd_step) -> Tensor {
    let shape = theta.shape
    // Taken out of the array, so that the buffer's storage is uniquely referenced here.
    var buffer: Tensor? = slots.first
    slots = []
    let updated = theta.withUnsafeScalars(as: T.self) { theta in
        gradient.withUnsafeScalars(as: T.self) { gradient in
            Tensor(shape: shape, of: T.self) { out in
                let dtype = T.dtype == .float32 ? RG_FLOAT32 : RG_FLOAT64, n = Int64(theta.count)
                func run(_ b: UnsafeMutableBufferPointer<T>?) {
                    // Every chunk's call reads the constants; none writes them.
                    withUnsafePointer(to: step) { constants in
                        Parallel.forEachChunk(of: Int(n)) { start, count in
                            rg_sgd_update(
                                dtype, constants, Int64(count), theta.baseAddress! + start, gradient.baseAddress! + start,
                                b.map { $0.baseAddress! + start }, out.baseAddress! + start)
                        }
                    }
                }
                if buffer == nil {
                    run(nil)
                } else {
                    buffer!.withUnsafeMutableScalars(as: T.self) { run($0) }
                }
            }
        }
    }
    slots = buffer.map { [$0] } ?? []
    return updated
}

/// Adam's rule (see ``Adam``) for one variable: updates the moments in `slots` (with a
/// third slot, the AMSGrad maximum) and returns the new value.
func adamUpdate(theta: Tensor, gradient: Tensor, slots: inout [Tensor], _ step: rg_adam_step) -> Tensor {
    switch theta.dtype {
    case .float32: return adamKernel(Float.self, theta, gradient, &slots, step)
    default: return adamKernel(Double.self, theta, gradient, &slots, step)
    }
}

private func adamKernel<T: TensorScalar>(_: T.Type, _ theta: Tensor, _ gradient: Tensor, _ slots: inout [Tensor], _ step: rg_adam_step) -> Tensor {
    let shape = theta.shape
    // The moments are taken out of the array, so that their storage is uniquely referenced
    // here and updated in place.
    var first = slots[0], second = slots[1]
    var maximum: Tensor? = slots.count > 2 ? slots[2] : nil
    slots = []
    let updated = theta.withUnsafeScalars(as: T.self) { theta in
        gradient.withUnsafeScalars(as: T.self) { gradient in
            Tensor(shape: shape, of: T.self) { out in
                let dtype = T.dtype == .float32 ? RG_FLOAT32 : RG_FLOAT64, n = Int64(theta.count)
                func run(_ m: UnsafeMutableBufferPointer<T>, _ v: UnsafeMutableBufferPointer<T>, _ u: UnsafeMutableBufferPointer<T>?) {
                    // Every chunk's call reads the constants; none writes them.
                    withUnsafePointer(to: step) { constants in
                        Parallel.forEachChunk(of: Int(n)) { start, count in
                            rg_adam_update(
                                dtype, constants, Int64(count), theta.baseAddress! + start, gradient.baseAddress! + start,
                                m.baseAddress! + start, v.baseAddress! + start, u.map { $0.baseAddress! + start },
                                out.baseAddress! + start)
                        }
                    }
                }
                first.withUnsafeMutableScalars(as: T.self) { m in
                    second.withUnsafeMutableScalars(as: T.self) { v in
                        if maximum == nil {
                            run(m, v, nil)
                        } else {
                            maximum!.withUnsafeMutableScalars(as: T.self) { run(m, v, $0) }
                        }
                    }
                }
            }
        }
    }
    slots = [first, second] + (maximum.map { [$0] } ?? [])
    return updated
}
