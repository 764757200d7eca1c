import Foundation
import Testing

@testable import MyoNeural

@Suite("Keras HDF5 import")
struct KerasImportTests {
  static let config = ResNetConfig(
    variant: .v1, baseWidth: 4, batchNormEpsilon: 1.001e-5)

  @Test("v1 fixture features, logit and Grad-CAM")
  func kerasFixture() throws {
    let weights = try KerasWeights(path: Fixture.path("resnet-v1-w4.keras.h5"))
    #expect(weights.unmapped.isEmpty)
    #expect(weights.shape(of: "layer2.0.conv1.weight") == [8, 16, 1, 1])
    #expect(weights.shape(of: "layer1.0.downsample.1.running_var") == [16])
    let network = try ResNetLoader.load(
      weights, config: Self.config, ignoring: ["head."])
    let reference = try Fixture.reference("resnet-v1-w4.reference.safetensors")

    let features = network.features(
      reference.input, batch: 1, size: reference.size)
    #expect(Fixture.relativeError(features.maps, reference.features) < 1e-4)
    #expect(Fixture.relativeError(features.pooled, reference.pooled) < 1e-4)

    let layers = try weights.head()
    #expect(layers.count == 2)
    #expect(layers.first?.outputs == 8)
    let (logit, gradient) = Head(layers: layers).logitAndGradient(
      features.pooled)
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

  @Test(
    "Keras layer names map to torchvision keys",
    arguments: [
      ("conv1_conv", "kernel", "conv1.weight"),
      ("conv1_bn", "moving_variance", "bn1.running_var"),
      ("conv2_block1_0_conv", "bias", "layer1.0.downsample.0.bias"),
      ("conv3_block4_2_bn", "gamma", "layer2.3.bn2.weight"),
      ("conv5_block3_3_conv", "kernel", "layer4.2.conv3.weight"),
      ("conv4_block1_0_bn", "beta", "layer3.0.downsample.1.bias"),
    ])
  func names(layer: String, parameter: String, key: String) {
    #expect(KerasWeights.torchKey(layer: layer, parameter: parameter) == key)
  }

  @Test(
    "non-backbone names map to nothing",
    arguments: [
      ("dense", "kernel"), ("conv6_block1_1_conv", "kernel"),
      ("conv1_bn", "kernel"),
      ("conv2_block1_4_conv", "kernel"), ("probs", "gamma"),
    ])
  func foreignNames(layer: String, parameter: String) {
    #expect(KerasWeights.torchKey(layer: layer, parameter: parameter) == nil)
  }

  @Test("a file that is not HDF5 is rejected")
  func notHDF5() throws {
    let path = Fixture.path("resnet-v1.5-w4.safetensors")
    #expect(
      throws: NeuralError.invalidFile(
        path: path, field: "signature", found: "no HDF5 signature",
        expected: "an HDF5 file saved by Keras (.h5)")
    ) {
      try KerasWeights(path: path)
    }
  }
}
