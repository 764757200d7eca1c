import Testing

@testable import MyoNeural

/// One convolution on every kernel this processor runs, against a direct
/// double-precision loop.
@Suite("Convolution kernels against the direct method")
struct ConvolutionKernelTests {
  /// A layer shape. The edge cases of the panel kernels are row counts
  /// that are not multiples of 6, channel counts that are not multiples
  /// of 16, strides, padding and a single image row. Larger layers are
  /// split between threads by pixels and by output channels.
  struct Shape: Sendable, CustomTestStringConvertible {
    let n: Int, height: Int, width: Int
    let inChannels: Int, outChannels: Int
    let kernel: Int, stride: Int
    var testDescription: String {
      "\(n)x\(height)x\(width)x\(inChannels) -> \(outChannels),"
        + " \(kernel)x\(kernel)/\(stride)"
    }
  }

  static let shapes = [
    Shape(n: 1, height: 7, width: 5, inChannels: 3, outChannels: 5, kernel: 7, stride: 2),
    Shape(n: 2, height: 9, width: 11, inChannels: 8, outChannels: 20, kernel: 3, stride: 1),
    Shape(n: 1, height: 13, width: 13, inChannels: 12, outChannels: 36, kernel: 3, stride: 2),
    Shape(n: 3, height: 5, width: 7, inChannels: 17, outChannels: 33, kernel: 1, stride: 1),
    Shape(n: 1, height: 8, width: 6, inChannels: 16, outChannels: 48, kernel: 1, stride: 2),
    Shape(n: 1, height: 1, width: 29, inChannels: 64, outChannels: 16, kernel: 1, stride: 1),
    // 20 and 49 output pixels: a last tile of 2 rows, and of 1.
    Shape(n: 1, height: 4, width: 5, inChannels: 40, outChannels: 24, kernel: 1, stride: 1),
    Shape(n: 1, height: 7, width: 7, inChannels: 32, outChannels: 32, kernel: 3, stride: 2),
    // Large enough to be split between two threads.
    Shape(n: 1, height: 20, width: 20, inChannels: 32, outChannels: 64, kernel: 3, stride: 1),
    Shape(n: 1, height: 30, width: 30, inChannels: 64, outChannels: 64, kernel: 1, stride: 1),
    Shape(n: 1, height: 3, width: 3, inChannels: 256, outChannels: 512, kernel: 3, stride: 1),
  ]

  /// Every kernel, without and with a residual (`accumulate`).
  static var cases: [(ConvolutionKernels, Bool)] {
    ConvolutionKernels.available.flatMap { [($0, false), ($0, true)] }
  }

  @Test("matches the direct method", arguments: shapes, cases)
  func direct(shape: Shape, setting: (ConvolutionKernels, Bool)) {
    let (kernels, accumulate) = setting
    var random = SplitMix64(seed: UInt64(shape.inChannels * 31 + shape.kernel))
    func values(_ count: Int) -> [Float] {
      (0..<count).map { _ in Float(random.nextUniform() * 2 - 1) }
    }
    let depth = shape.kernel * shape.kernel * shape.inChannels
    let weights = values(depth * shape.outChannels)
    let bias = values(shape.outChannels)
    let input = values(shape.n * shape.height * shape.width * shape.inChannels)
    let layer = Convolution(
      name: "test", inChannels: shape.inChannels,
      outChannels: shape.outChannels, kernel: shape.kernel,
      stride: shape.stride, padding: shape.kernel / 2, weights: weights,
      bias: bias, kernels: kernels)
    let outHeight = layer.outputSize(shape.height)
    let outWidth = layer.outputSize(shape.width)
    let outputCount = shape.n * outHeight * outWidth * shape.outChannels
    let residual = accumulate ? values(outputCount) : [Float](repeating: 0, count: outputCount)

    // The direct method in double precision, then the bias and the ReLU.
    var expected = [Float](repeating: 0, count: outputCount)
    for image in 0..<shape.n {
      for oy in 0..<outHeight {
        for ox in 0..<outWidth {
          let row = (image * outHeight + oy) * outWidth + ox
          for co in 0..<shape.outChannels {
            var sum = Double(residual[row * shape.outChannels + co])
            for ky in 0..<shape.kernel {
              for kx in 0..<shape.kernel {
                let iy = oy * shape.stride - shape.kernel / 2 + ky
                let ix = ox * shape.stride - shape.kernel / 2 + kx
                guard iy >= 0 && iy < shape.height && ix >= 0 && ix < shape.width
                else { continue }
                for ci in 0..<shape.inChannels {
                  let x = input[
                    ((image * shape.height + iy) * shape.width + ix)
                      * shape.inChannels + ci]
                  let w = weights[
                    ((ky * shape.kernel + kx) * shape.inChannels + ci)
                      * shape.outChannels + co]
                  sum += Double(x) * Double(w)
                }
              }
            }
            expected[row * shape.outChannels + co] = Float(
              max(sum + Double(bias[co]), 0))
          }
        }
      }
    }

    let output = FloatBuffer(residual)
    let lanes = 2
    let laneFloats = layer.scratchFloats(
      n: shape.n, height: shape.height, width: shape.width)
    let scratch = FloatBuffer(count: lanes * max(laneFloats, 1))
    let zeros = FloatBuffer(count: shape.inChannels)
    let padded = FloatBuffer(
      count: layer.paddedFloats(n: shape.n, height: shape.height, width: shape.width))
    input.withUnsafeBufferPointer { source in
      layer.forward(
        input: source.baseAddress!, n: shape.n, height: shape.height,
        width: shape.width, output: output.pointer,
        scratch: ConvolutionScratch(
          lanes: lanes, laneBase: scratch.pointer, laneFloats: laneFloats,
          zeros: zeros.pointer, zeroFloats: zeros.count,
          padded: padded.pointer, paddedFloats: padded.count),
        accumulate: accumulate, epilogue: .biasReLU(layer.bias.pointer))
    }
    #expect(Fixture.relativeError(output.array, expected) < 1e-5)
    #expect(layer.weightMatrix == weights)
  }

  /// The stem's padded copy on the panel kernels serves every thread, so
  /// a workspace with more threads must not hold one copy per thread.
  @Test(
    "one padded stem copy whatever the thread count",
    .enabled(if: ConvolutionKernels.available.contains(.panels)))
  func paddedCopyIsShared() throws {
    let config = ResNetConfig(variant: .v1_5, baseWidth: 4)
    let network = try ResNetLoader.load(
      GeneratedWeights(seed: 1, config: config), config: config,
      kernels: .panels)
    let copy = network.stem.paddedFloats(n: 4, height: 256, width: 256)
    #expect(copy > 0)
    let one = Workspace(network: network, batch: 4, size: 256, threads: 1)
    let many = Workspace(network: network, batch: 4, size: 256, threads: 16)
    let perThread = (many.byteCount - one.byteCount) / 15 / MemoryLayout<Float>.stride
    #expect(perThread < copy, "\(perThread) floats per thread, copy \(copy)")
  }

  @Test("panels need the whole Haswell instruction set")
  func support() {
    let full: Set<String> = [
      "avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "abm",
    ]
    #if arch(x86_64)
      #expect(ConvolutionKernels.panelsSupported(flags: full))
    #endif
    #expect(!ConvolutionKernels.panelsSupported(flags: full.subtracting(["fma"])))
    #expect(!ConvolutionKernels.panelsSupported(flags: full.subtracting(["avx2"])))
    #expect(!ConvolutionKernels.panelsSupported(flags: []))
  }
}
