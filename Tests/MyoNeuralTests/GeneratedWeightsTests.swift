import Testing

@testable import MyoNeural

@Suite("Generated weights")
struct GeneratedWeightsTests {
  // Expected values from scripts/reference/generated_weights.py, an
  // independent Python implementation of the "he-normal-1" generator.
  @Test(
    "first values match the Python generator",
    arguments: [
      (UInt64(1), "conv1.weight", [-0.0943458725, -0.167730653, -0.101491837]),
      (
        UInt64(1), "layer4.2.conv3.weight",
        [0.0399356553, -0.0544100759, 0.0114928657]
      ),
      (
        UInt64(1), "layer3.0.downsample.0.weight",
        [0.00860964509, 0.0399850032, -0.0016259411]
      ),
      (
        UInt64(12345), "conv1.weight",
        [-0.0853652709, 0.112191322, 0.101237719]
      ),
      (
        UInt64(12345), "layer4.2.conv3.weight",
        [-0.0290502846, 0.00984377338, -0.104409577]
      ),
    ])
  func goldenValues(seed: UInt64, key: String, expected: [Double]) throws {
    let weights = GeneratedWeights(
      seed: seed, config: ResNetConfig(variant: .v1_5))
    let tensor = try weights.read(key)
    for (index, value) in expected.enumerated() {
      #expect(abs(Double(tensor.values[index]) - value) < 1e-8)
    }
  }

  @Test("batch normalizations are the identity")
  func identityNorms() throws {
    let weights = GeneratedWeights(
      seed: 1, config: ResNetConfig(variant: .v1_5))
    #expect(try weights.read("bn1.weight").values.allSatisfy { $0 == 1 })
    #expect(try weights.read("bn1.running_var").values.allSatisfy { $0 == 1 })
    #expect(try weights.read("layer1.0.bn3.bias").values.allSatisfy { $0 == 0 })
    #expect(
      try weights.read("layer1.0.downsample.1.running_mean").values.allSatisfy {
        $0 == 0
      })
  }

  @Test("key set equals the torchvision ResNet50")
  func keys() {
    let weights = GeneratedWeights(
      seed: 1, config: ResNetConfig(variant: .v1_5))
    // 53 convolutions with 4 norm tensors each plus the weight: 265.
    #expect(weights.keys.count == 265)
    #expect(weights.shape(of: "layer4.2.conv3.weight") == [2048, 512, 1, 1])
    #expect(
      weights.shape(of: "layer2.0.downsample.0.weight") == [512, 256, 1, 1])
  }
}
