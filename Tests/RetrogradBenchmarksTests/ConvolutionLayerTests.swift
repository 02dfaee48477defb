import Foundation
import Retrograd
import RetrogradBenchmarks
import RetrogradTestSupport
import Testing

@Suite("W9.conv: a convolution layer against its three GEMMs")
struct ConvolutionLayerTests {
    @Test("the layer's output and gradients are the raw products' (and the filter's is Σ patchᵀ·g by hand)")
    func layerMatchesItsProducts() throws {
        let layer = ConvolutionLayer(batch: 2, size: 6, channels: 3, outChannels: 4, window: 3)
        #expect((layer.m, layer.k, layer.n) == (72, 27, 4))
        #expect(layer.flops == 6 * 72 * 27 * 4)
        let gradients = try layer.forwardAndBackward()
        layer.products()
        let results = layer.productResults
        // The filter's gradient: Σ over output pixels of patch ⊗ g, from patches taken here.
        let patches = extractPatches(layer.images, windowSize: (3, 3), padding: .same).scalars(as: Float.self)
        let g = layer.outputGradient.scalars(as: Float.self)
        let byHand = (0..<27).flatMap { k in
            (0..<4).map { n in (0..<72).reduce(0.0) { $0 + Double(patches[$1 * 27 + k]) * Double(g[$1 * 4 + n]) } }
        }
        let filterGradient = try #require(gradients[1]).scalars(as: Float.self).map(Double.init)
        #expect(allClose(filterGradient, byHand, absolute: 1e-4))
        #expect(allClose(results.filterGradient.map(Double.init), byHand, absolute: 1e-4))
        // The images' gradient is the col2im of the patches' gradient: conv2dTranspose of g.
        let transposed = conv2dTranspose(layer.outputGradient, filter: layer.filter, outputSize: (6, 6), padding: .same)
        let imageGradient = try #require(gradients[0]).scalars(as: Float.self).map(Double.init)
        #expect(allClose(imageGradient, transposed.scalars(as: Float.self).map(Double.init), absolute: 1e-5))
        let output = conv2d(layer.images, filter: layer.filter, padding: .same).scalars(as: Float.self).map(Double.init)
        #expect(allClose(results.output.map(Double.init), output, absolute: 1e-5))
    }
}
