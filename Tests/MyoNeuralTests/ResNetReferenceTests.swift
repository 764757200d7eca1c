import Foundation
import Testing

@testable import MyoNeural

@Suite("ResNet50 against the numpy reference")
struct ResNetReferenceTests {
  static let config = ResNetConfig(variant: .v1_5, baseWidth: 4)

  @Test(
    "v1.5 fixture features, logit and CAM",
    arguments: ConvolutionKernels.available)
  func torchFixture(kernels: ConvolutionKernels) throws {
    let weights = try SafeTensorsFile(
      path: Fixture.path("resnet-v1.5-w4.safetensors"))
    #expect(weights.dtype(of: "conv1.weight") == "F16")
    #expect(weights.dtype(of: "fc.weight") == "BF16")
    #expect(weights.dtype(of: "bn1.running_var") == "F32")
    let network = try ResNetLoader.load(
      weights, config: Self.config, ignoring: ["fc."], kernels: kernels)
    let reference = try Fixture.reference(
      "resnet-v1.5-w4.reference.safetensors")

    let features = network.features(
      reference.input, batch: 1, size: reference.size)
    #expect(features.height == 2)
    #expect(features.channels == 128)
    #expect(Fixture.relativeError(features.maps, reference.features) < 1e-4)
    #expect(Fixture.relativeError(features.pooled, reference.pooled) < 1e-4)

    let dense = try Dense(
      weight: try weights.read("fc.weight"), bias: try weights.read("fc.bias"),
      name: "fc")
    let head = Head(layers: [dense])
    let (logit, gradient) = head.logitAndGradient(features.pooled)
    #expect(
      abs(logit - Double(reference.logit)) <= 1e-4
        * max(1, abs(Double(reference.logit))))

    var cam = [Float](repeating: 0, count: 4)
    for pixel in 0..<4 {
      for k in 0..<128 {
        cam[pixel] += gradient[k] * features.maps[pixel * 128 + k]
      }
    }
    #expect(Fixture.relativeError(cam, reference.cam) < 1e-3)
  }

  @Test("batch of two equals two single passes")
  func batchOfTwo() throws {
    let weights = try SafeTensorsFile(
      path: Fixture.path("resnet-v1.5-w4.safetensors"))
    let network = try ResNetLoader.load(
      weights, config: Self.config, ignoring: ["fc."])
    let reference = try Fixture.reference(
      "resnet-v1.5-w4.reference.safetensors")
    let flipped = Array(reference.input.reversed())
    let single = network.features(flipped, batch: 1, size: 64).pooled
    let pair = network.features(reference.input + flipped, batch: 2, size: 64)
      .pooled
    #expect(
      Fixture.relativeError(Array(pair[0..<128]), reference.pooled) < 1e-4)
    #expect(Fixture.relativeError(Array(pair[128...]), single) < 1e-5)
  }

  @Test("batch of six runs in chunks")
  func chunkedBatch() throws {
    let weights = try SafeTensorsFile(
      path: Fixture.path("resnet-v1.5-w4.safetensors"))
    let network = try ResNetLoader.load(
      weights, config: Self.config, ignoring: ["fc."])
    let reference = try Fixture.reference(
      "resnet-v1.5-w4.reference.safetensors")
    #expect(ResNet50.chunkImages < 6)
    // Six different images: the reference input scaled by 1 to 6.
    let images = (1...6).map { factor in
      reference.input.map { $0 * Float(factor) }
    }
    // Reading Parallel.threads first sets OpenBLAS to one thread.
    let elementThreads = Parallel.threads
    let blasThreads = BLAS.threadCount
    let batch = network.features(images.flatMap { $0 }, batch: 6, size: 64)
    // The chunk workers change neither thread count.
    #expect(BLAS.threadCount == blasThreads)
    #expect(Parallel.threads == elementThreads)
    for (index, image) in images.enumerated() {
      let single = network.features(image, batch: 1, size: 64)
      let range = (index * 128)..<((index + 1) * 128)
      #expect(
        Fixture.relativeError(Array(batch.pooled[range]), single.pooled) < 1e-5)
      let mapRange = (index * 512)..<((index + 1) * 512)
      #expect(
        Fixture.relativeError(Array(batch.maps[mapRange]), single.maps) < 1e-5)
    }
  }
}
