// Plain Swift scalar reimplementations of PyTorch's torch.optim update rules, written
// from PyTorch's documented algorithms (and its `_single_tensor_*` functions) one element
// at a time in Double, independent of RetrogradOptimizers. The tests drive the library
// and these side by side and compare every step.

import Foundation

/// One optimizer's update of a vector of parameters, with its own state.
protocol ReferenceOptimizer {
    /// One update of `w` from `g`, at learning rate `lr`.
    mutating func step(_ w: inout [Double], _ g: [Double], lr: Double)
}

/// torch.optim.SGD: the buffer starts as a copy of the first (decayed) gradient.
struct ReferenceSGD: ReferenceOptimizer {
    var momentum = 0.0, dampening = 0.0, nesterov = false, weightDecay = 0.0
    var buffer: [Double]? = nil

    mutating func step(_ w: inout [Double], _ g: [Double], lr: Double) {
        var update = [Double](repeating: 0, count: w.count)
        var newBuffer = buffer ?? []
        for i in w.indices {
            var d = g[i]
            if weightDecay != 0 { d += weightDecay * w[i] }
            if momentum != 0 {
                let b = buffer == nil ? d : momentum * buffer![i] + (1 - dampening) * d
                if buffer == nil { newBuffer.append(b) } else { newBuffer[i] = b }
                d = nesterov ? d + momentum * b : b
            }
            update[i] = d
        }
        if momentum != 0 { buffer = newBuffer }
        for i in w.indices { w[i] -= lr * update[i] }
    }
}

/// torch.optim.Adam (decoupled: false) and torch.optim.AdamW (decoupled: true).
struct ReferenceAdam: ReferenceOptimizer {
    var beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, weightDecay = 0.0, amsgrad = false, decoupled = false
    var t = 0
    var m: [Double] = [], v: [Double] = [], vMax: [Double] = []

    mutating func step(_ w: inout [Double], _ g: [Double], lr: Double) {
        if t == 0 {
            m = [Double](repeating: 0, count: w.count)
            v = m
            vMax = m
        }
        t += 1
        let bc1 = 1 - pow(beta1, Double(t)), bc2 = 1 - pow(beta2, Double(t))
        for i in w.indices {
            var d = g[i]
            if decoupled {
                w[i] *= 1 - lr * weightDecay
            } else if weightDecay != 0 {
                d += weightDecay * w[i]
            }
            m[i] = beta1 * m[i] + (1 - beta1) * d
            v[i] = beta2 * v[i] + (1 - beta2) * d * d
            var s = v[i]
            if amsgrad {
                vMax[i] = max(vMax[i], v[i])
                s = vMax[i]
            }
            let denominator = s.squareRoot() / bc2.squareRoot() + epsilon
            w[i] -= (lr / bc1) * m[i] / denominator
        }
    }
}

/// torch.optim.RMSprop.
struct ReferenceRMSProp: ReferenceOptimizer {
    var alpha = 0.99, epsilon = 1e-8, weightDecay = 0.0, momentum = 0.0, centered = false
    var squareAverage: [Double] = [], gradientAverage: [Double] = [], buffer: [Double] = []

    mutating func step(_ w: inout [Double], _ g: [Double], lr: Double) {
        if squareAverage.isEmpty {
            squareAverage = [Double](repeating: 0, count: w.count)
            gradientAverage = squareAverage
            buffer = squareAverage
        }
        for i in w.indices {
            var d = g[i]
            if weightDecay != 0 { d += weightDecay * w[i] }
            squareAverage[i] = alpha * squareAverage[i] + (1 - alpha) * d * d
            var average = squareAverage[i]
            if centered {
                gradientAverage[i] = alpha * gradientAverage[i] + (1 - alpha) * d
                average -= gradientAverage[i] * gradientAverage[i]
            }
            let root = average.squareRoot() + epsilon
            if momentum > 0 {
                buffer[i] = momentum * buffer[i] + d / root
                w[i] -= lr * buffer[i]
            } else {
                w[i] -= lr * d / root
            }
        }
    }
}

/// torch.optim.Adagrad.
struct ReferenceAdagrad: ReferenceOptimizer {
    var learningRateDecay = 0.0, weightDecay = 0.0, initialAccumulatorValue = 0.0, epsilon = 1e-10
    var t = 0
    var sum: [Double] = []

    mutating func step(_ w: inout [Double], _ g: [Double], lr: Double) {
        if t == 0 { sum = [Double](repeating: initialAccumulatorValue, count: w.count) }
        t += 1
        let clr = lr / (1 + Double(t - 1) * learningRateDecay)
        for i in w.indices {
            var d = g[i]
            if weightDecay != 0 { d += weightDecay * w[i] }
            sum[i] += d * d
            w[i] -= clr * d / (sum[i].squareRoot() + epsilon)
        }
    }
}
