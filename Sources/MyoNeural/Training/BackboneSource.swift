import Foundation
import MyoSupport

/// The frozen backbone that training extracts features with.
public enum BackboneSource: Sendable, Equatable {
  /// Random-feature weights from the "he-normal-1" generator and a seed.
  case generated(seed: UInt64, config: ResNetConfig)
  /// A safetensors file of ResNet50 weights in torchvision names, which
  /// the bundle links to by path and SHA-256.
  case linked(path: String, config: ResNetConfig)

  /// The network shape.
  public var config: ResNetConfig {
    switch self {
    case .generated(_, let config), .linked(_, let config): return config
    }
  }

  /// The identity of the weights, which keys the feature cache: the
  /// generator, seed and shape for generated weights, the file's SHA-256
  /// and the shape for a file.
  public func identity() throws -> String {
    let shape =
      "\(config.variant.rawValue):\(config.baseWidth):"
      + "\(config.blocks.map(String.init).joined(separator: ",")):"
      + "\(config.batchNormEpsilon)"
    switch self {
    case .generated(let seed, _):
      return "generated:\(GeneratedWeights.generator):\(seed):\(shape)"
    case .linked(let path, _):
      return "sha256:\(try SHA256.file(path)):\(shape)"
    }
  }

  /// Builds the network.
  public func load() throws -> ResNet50 {
    switch self {
    case .generated(let seed, let config):
      return try ResNetLoader.load(GeneratedWeights(seed: seed, config: config), config: config)
    case .linked(let path, let config):
      return try ResNetLoader.load(
        try SafeTensorsFile(path: path), config: config, ignoring: ["fc."])
    }
  }

  /// The bundle's description of the backbone. A linked file is recorded
  /// relative to the bundle's folder when it lies inside it, else by its
  /// absolute path.
  public func bundleBackbone(bundlePath: String) throws -> BundleMetadata.Backbone {
    switch self {
    case .generated(let seed, _):
      return BundleMetadata.Backbone(
        kind: "generated", generator: GeneratedWeights.generator, seed: seed,
        path: nil, sha256: nil, origin: "random features (\(GeneratedWeights.generator))")
    case .linked(let path, _):
      let file = URL(fileURLWithPath: path).standardizedFileURL.path
      let folder = URL(fileURLWithPath: bundlePath).standardizedFileURL
        .deletingLastPathComponent().path
      let recorded =
        file.hasPrefix(folder + "/") ? String(file.dropFirst(folder.count + 1)) : file
      return BundleMetadata.Backbone(
        kind: "linked", generator: nil, seed: nil, path: recorded,
        sha256: try SHA256.file(path), origin: (path as NSString).lastPathComponent)
    }
  }
}
