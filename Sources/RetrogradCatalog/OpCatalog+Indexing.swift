// The subscripts as gradient-check cases: every kind of entry read, and assignments, whose
// gradient reaches both the old value and the assigned one.
import Retrograd

extension OpCatalog {
    static func indexing() -> [OpCheckCase] {
        let mask = Tensor([true, false, true, false, true, true], shape: [2, 3])
        let rows = Tensor([2, 0, 2] as [Int32])
        return [
            make("subscript [1]", inputs: { [$0.normal([3, 4])] }) { $0[0][1] },
            make("subscript [-1, 2]", inputs: { [$0.normal([3, 4])] }) { $0[0][-1, 2] },
            make("subscript [..., 1]", inputs: { [$0.normal([2, 3, 4])] }) { $0[0][..., 1] },
            make("subscript [0..., 1..<3]", inputs: { [$0.normal([2, 3, 4])] }) { $0[0][0..., 1..<3] },
            make("subscript [(-2)..., ...1]", inputs: { [$0.normal([3, 4])] }) { $0[0][(-2)..., ...1] },
            make("subscript stride reversed", inputs: { [$0.normal([5, 2])] }) { $0[0][stride(from: 4, through: 0, by: -2)] },
            make("subscript mask", inputs: { [$0.normal([2, 3, 2])] }) { $0[0][mask] },
            make("subscript int32 indices repeated", inputs: { [$0.normal([3, 4])] }) { $0[0][0..., Tensor([3, 3, 1] as [Int32])] },
            make("subscript int32 indices first axis", inputs: { [$0.normal([3, 2])] }) { $0[0][rows] },
            make("subscript assigned row", inputs: { [$0.normal([3, 4]), $0.normal([4])] }) { inputs in
                var y = inputs[0]
                y[1] = inputs[1]
                return y
            },
            make("subscript assigned broadcast through a mask", inputs: { [$0.normal([2, 3]), $0.normal([])] }) { inputs in
                var y = inputs[0]
                y[mask] = inputs[1]
                return y
            },
            make("subscript assigned stride, then read", inputs: { [$0.normal([5]), $0.normal([3])] }) { inputs in
                var y = inputs[0] * inputs[0]
                y[stride(from: 0, to: 5, by: 2)] = inputs[1].sin()
                return y[1...]
            },
        ]
    }
}
