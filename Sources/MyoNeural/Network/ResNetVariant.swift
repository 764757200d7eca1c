/// Where a ResNet50 bottleneck that halves the resolution puts its
/// stride.
public enum ResNetVariant: String, Sendable, Codable, CaseIterable {
  /// torchvision and timm: the stride is on the 3x3 convolution.
  case v1_5 = "v1.5"
  /// Keras applications and the original paper: the stride is on the
  /// first 1x1 convolution.
  case v1 = "v1"
}

/// The shape of a ResNet50: the variant and the widths.
public struct ResNetConfig: Sendable, Equatable {
  /// Where the downsampling stride sits.
  public var variant: ResNetVariant
  /// Channels of the stem and of the first stage's bottleneck; 64 in the
  /// standard network. Test fixtures use a smaller width with the same
  /// topology.
  public var baseWidth: Int
  /// Bottleneck blocks per stage; `[3, 4, 6, 3]` for ResNet50.
  public var blocks: [Int]
  /// The epsilon of every batch normalization: 1e-5 in PyTorch,
  /// 1.001e-5 in the Keras ResNet50.
  public var batchNormEpsilon: Float

  /// Creates a configuration; the defaults are the standard ResNet50.
  public init(
    variant: ResNetVariant, baseWidth: Int = 64,
    blocks: [Int] = [3, 4, 6, 3], batchNormEpsilon: Float = 1e-5
  ) {
    self.variant = variant
    self.baseWidth = baseWidth
    self.blocks = blocks
    self.batchNormEpsilon = batchNormEpsilon
  }

  /// Output channels of the last stage: 2048 in the standard network.
  public var featureChannels: Int {
    baseWidth * (1 << (blocks.count - 1)) * 4
  }

  /// Every weight-file key of the backbone with its shape, in torchvision
  /// names and PyTorch layouts, without the optional convolution biases.
  public var expectedTensors: [(key: String, shape: [Int])] {
    var result: [(String, [Int])] = []
    func conv(_ name: String, _ out: Int, _ input: Int, _ k: Int) {
      result.append(("\(name).weight", [out, input, k, k]))
    }
    func norm(_ name: String, _ channels: Int) {
      for field in ["weight", "bias", "running_mean", "running_var"] {
        result.append(("\(name).\(field)", [channels]))
      }
    }
    conv("conv1", baseWidth, 3, 7)
    norm("bn1", baseWidth)
    var inChannels = baseWidth
    for (stage, count) in blocks.enumerated() {
      let width = baseWidth << stage
      for block in 0..<count {
        let prefix = "layer\(stage + 1).\(block)"
        conv("\(prefix).conv1", width, inChannels, 1)
        norm("\(prefix).bn1", width)
        conv("\(prefix).conv2", width, width, 3)
        norm("\(prefix).bn2", width)
        conv("\(prefix).conv3", width * 4, width, 1)
        norm("\(prefix).bn3", width * 4)
        if block == 0 {
          conv("\(prefix).downsample.0", width * 4, inChannels, 1)
          norm("\(prefix).downsample.1", width * 4)
        }
        inChannels = width * 4
      }
    }
    return result
  }
}
