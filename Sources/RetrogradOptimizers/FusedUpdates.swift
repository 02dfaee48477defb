// The update rules of SGD and Adam/AdamW as single passes over the elements (C kernels in
// CRetrogradKernels/optimizers.c): one read of θ, g and the slots, one write of θ and of
// each slot. θ and the slots are updated in place when nothing else holds their storage
// (the optimizer's slots, and a variable's value once the tape that read it is gone);
// otherwise copy-on-write copies them first, so a tape or a caller still holding the old
// value never sees it change.
//
// The arithmetic is the same, in the same order and element type, as writing the rule
// with tensor ops (`m * β₁ + d * (1 − β₁)`, …); constants are rounded to the element type
// first, as a tensor op with a Swift number does.
import CRetrogradKernels

/// SGD's rule (see ``SGD``) for one variable: updates `theta` and the momentum buffer in
/// `slots`.
func sgdUpdate(theta: inout Tensor, gradient: Tensor, slots: inout [Tensor], _ step: rg_sgd_step) {
    switch theta.dtype {
    case .float32: sgdKernel(Float.self, &theta, gradient, &slots, step)
    default: sgdKernel(Double.self, &theta, gradient, &slots, step)
    }
}

private func sgdKernel<T: TensorScalar>(
    _: T.Type, _ theta: inout Tensor, _ gradient: Tensor, _ slots: inout [Tensor], _ step: rg_sgd_step
) {
    // Taken out of the array, so that the buffer's storage is uniquely referenced here.
    var buffer: Tensor? = slots.first
    slots = []
    theta.withUnsafeMutableScalars(as: T.self) { theta in
        gradient.withUnsafeScalars(as: T.self) { gradient in
            let dtype = T.dtype == .float32 ? RG_FLOAT32 : RG_FLOAT64
            func run(_ b: UnsafeMutableBufferPointer<T>?) {
                // Every chunk's call reads the constants; none writes them.
                withUnsafePointer(to: step) { constants in
                    Parallel.forEachChunk(of: theta.count) { start, count in
                        rg_sgd_update(
                            dtype, constants, Int64(count), theta.baseAddress! + start, gradient.baseAddress! + start,
                            b.map { $0.baseAddress! + start })
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
    slots = buffer.map { [$0] } ?? []
}

/// Adam's rule (see ``Adam``) for one variable: updates `theta` and the moments in
/// `slots` (with a third slot, the AMSGrad maximum).
func adamUpdate(theta: inout Tensor, gradient: Tensor, slots: inout [Tensor], _ step: rg_adam_step) {
    switch theta.dtype {
    case .float32: adamKernel(Float.self, &theta, gradient, &slots, step)
    default: adamKernel(Double.self, &theta, gradient, &slots, step)
    }
}

private func adamKernel<T: TensorScalar>(
    _: T.Type, _ theta: inout Tensor, _ gradient: Tensor, _ slots: inout [Tensor], _ step: rg_adam_step
) {
    // The moments are taken out of the array, so that their storage is uniquely referenced
    // here and updated in place.
    var first = slots[0], second = slots[1]
    var maximum: Tensor? = slots.count > 2 ? slots[2] : nil
    slots = []
    theta.withUnsafeMutableScalars(as: T.self) { theta in
        gradient.withUnsafeScalars(as: T.self) { gradient in
            let dtype = T.dtype == .float32 ? RG_FLOAT32 : RG_FLOAT64
            func run(_ m: UnsafeMutableBufferPointer<T>, _ v: UnsafeMutableBufferPointer<T>, _ u: UnsafeMutableBufferPointer<T>?) {
                // Every chunk's call reads the constants; none writes them.
                withUnsafePointer(to: step) { constants in
                    Parallel.forEachChunk(of: theta.count) { start, count in
                        rg_adam_update(
                            dtype, constants, Int64(count), theta.baseAddress! + start, gradient.baseAddress! + start,
                            m.baseAddress! + start, v.baseAddress! + start, u.map { $0.baseAddress! + start })
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
    slots = [first, second] + (maximum.map { [$0] } ?? [])
}
