// Convolution, its transpose, pooling and image patches as gradient-check cases: several
// strides, paddings (valid, same with odd totals, explicit and uneven), dilations and
// groups (depthwise too), on odd image sizes.
import Retrograd

extension OpCatalog {
    static func convolution() -> [OpCheckCase] {
        [
            make("conv2d valid [2,5,5,2]*[3,3,2,3]", inputs: { [$0.normal([2, 5, 5, 2]), $0.normal([3, 3, 2, 3])] }) {
                conv2d($0[0], filter: $0[1])
            },
            make("conv2d same stride 2 odd [1,7,6,3]*[3,2,3,2]", inputs: { [$0.normal([1, 7, 6, 3]), $0.normal([3, 2, 3, 2])] }) {
                conv2d($0[0], filter: $0[1], strides: (2, 2), padding: .same)
            },
            make("conv2d explicit dilation (2,1) [1,6,7,2]*[2,3,2,2]", inputs: { [$0.normal([1, 6, 7, 2]), $0.normal([2, 3, 2, 2])] }) {
                conv2d($0[0], filter: $0[1], strides: (1, 2), padding: .explicit(top: 1, bottom: 0, left: 2, right: 1), dilations: (2, 1))
            },
            make("conv2d groups 2 [1,5,5,4]*[3,3,2,4]", inputs: { [$0.normal([1, 5, 5, 4]), $0.normal([3, 3, 2, 4])] }) {
                conv2d($0[0], filter: $0[1], padding: .same, groups: 2)
            },
            make("conv2d depthwise [1,5,4,3]*[2,2,1,6]", inputs: { [$0.normal([1, 5, 4, 3]), $0.normal([2, 2, 1, 6])] }) {
                conv2d($0[0], filter: $0[1], strides: (2, 1), padding: .same, groups: 3)
            },
            make("conv2d pointwise 1x1 [2,3,3,3]*[1,1,3,2]", inputs: { [$0.normal([2, 3, 3, 3]), $0.normal([1, 1, 3, 2])] }) {
                conv2d($0[0], filter: $0[1])
            },
            make("conv2d same dilation 2 stride (3,2) [1,7,8,2]*[3,3,2,2]", inputs: {
                [$0.normal([1, 7, 8, 2]), $0.normal([3, 3, 2, 2])]
            }) {
                conv2d($0[0], filter: $0[1], strides: (3, 2), padding: .same, dilations: (2, 2))
            },
            make("conv2dTranspose valid stride 2 [1,3,3,2]*[3,3,3,2]", inputs: { [$0.normal([1, 3, 3, 2]), $0.normal([3, 3, 3, 2])] }) {
                conv2dTranspose($0[0], filter: $0[1], strides: (2, 2))
            },
            make("conv2dTranspose same outputSize (5,8) [2,3,4,2]*[3,2,2,2]", inputs: {
                [$0.normal([2, 3, 4, 2]), $0.normal([3, 2, 2, 2])]
            }) {
                conv2dTranspose($0[0], filter: $0[1], outputSize: (5, 8), strides: (2, 2), padding: .same)
            },
            make("conv2dTranspose explicit dilation 2 [1,4,3,3]*[2,3,2,3]", inputs: {
                [$0.normal([1, 4, 3, 3]), $0.normal([2, 3, 2, 3])]
            }) {
                conv2dTranspose($0[0], filter: $0[1], padding: .explicit(top: 1, bottom: 2, left: 0, right: 1), dilations: (2, 2))
            },
            make("maxPool2D 2x2 [2,4,5,2]", inputs: { [$0.distinct([2, 4, 5, 2])] }) {
                maxPool2D($0[0], windowSize: (2, 2))
            },
            make("maxPool2D 3x3 stride 2 same [1,5,6,2]", inputs: { [$0.distinct([1, 5, 6, 2])] }) {
                maxPool2D($0[0], windowSize: (3, 3), strides: (2, 2), padding: .same)
            },
            make("maxPool2D 2x3 stride 1 explicit [1,4,4,1]", inputs: { [$0.distinct([1, 4, 4, 1])] }) {
                maxPool2D($0[0], windowSize: (2, 3), strides: (1, 1), padding: .explicit(top: 1, bottom: 0, left: 2, right: 1))
            },
            make("maxPool2D 2x2 tiling [2,4,6,3]", inputs: { [$0.distinct([2, 4, 6, 3])] }) {
                maxPool2D($0[0], windowSize: (2, 2))
            },
            make("maxPool2D 2x2 stride 3 gaps [1,7,8,2]", inputs: { [$0.distinct([1, 7, 8, 2])] }) {
                maxPool2D($0[0], windowSize: (2, 2), strides: (3, 3))
            },
            make("avgPool2D 2x2 [2,4,5,2]", inputs: { [$0.normal([2, 4, 5, 2])] }) {
                avgPool2D($0[0], windowSize: (2, 2))
            },
            make("avgPool2D 3x3 stride 2 same [1,5,6,2]", inputs: { [$0.normal([1, 5, 6, 2])] }) {
                avgPool2D($0[0], windowSize: (3, 3), strides: (2, 2), padding: .same)
            },
            make("avgPool2D 3x2 stride (1,2) explicit [1,4,5,2]", inputs: { [$0.normal([1, 4, 5, 2])] }) {
                avgPool2D($0[0], windowSize: (3, 2), strides: (1, 2), padding: .explicit(top: 2, bottom: 1, left: 0, right: 1))
            },
            make("extractPatches same dilation 2 [1,5,5,2]", inputs: { [$0.normal([1, 5, 5, 2])] }) {
                extractPatches($0[0], windowSize: (2, 3), strides: (2, 1), padding: .same, dilations: (2, 2))
            },
            make("composite conv → tanh → maxPool → conv", inputs: {
                [$0.normal([2, 6, 6, 1]), $0.normal([3, 3, 1, 2], scale: 0.5), $0.normal([2, 2, 2, 3], scale: 0.5)]
            }) {
                let hidden = maxPool2D(conv2d($0[0], filter: $0[1], padding: .same).tanh(), windowSize: (2, 2))
                return conv2d(hidden, filter: $0[2])
            },
        ]
    }
}
