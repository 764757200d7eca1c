import Foundation

/// A model bundle: one safetensors file whose metadata block describes the
/// model, with the head tensors (`head.0.weight`, `head.0.bias`, ...) and,
/// for an embedded backbone, the backbone tensors under their torchvision
/// names.
public struct ModelBundle: Sendable {
  /// The metadata block.
  public var metadata: BundleMetadata
  /// The head layers, applied in order with a ReLU between them.
  public var head: [Dense]
  /// The bundle file, or "" for a bundle not yet written.
  public var path: String

  /// The `__metadata__` key of the JSON block.
  static let metadataKey = "myoscope"

  /// Reads a bundle's metadata and head; the backbone loads separately.
  public static func read(path: String) throws -> ModelBundle {
    let file = try SafeTensorsFile(path: path)
    return try read(file)
  }

  static func read(_ file: SafeTensorsFile) throws -> ModelBundle {
    let path = file.path
    guard let text = file.metadata[metadataKey] else {
      throw NeuralError.invalidBundle(
        path: path, field: "__metadata__.\(metadataKey)", value: "absent",
        expected: "a myoscope bundle; make one with 'myoscope model import'")
    }
    let metadata: BundleMetadata
    do {
      metadata = try JSONDecoder().decode(
        BundleMetadata.self, from: Data(text.utf8))
    } catch {
      throw NeuralError.invalidBundle(
        path: path, field: "__metadata__.\(metadataKey)", value: "\(error)",
        expected:
          "the JSON block of bundle format \(BundleMetadata.currentVersion)")
    }
    guard metadata.formatVersion == BundleMetadata.currentVersion else {
      throw NeuralError.invalidBundle(
        path: path, field: "formatVersion", value: "\(metadata.formatVersion)",
        expected: "\(BundleMetadata.currentVersion)")
    }
    try check(metadata, path: path)

    var head: [Dense] = []
    while let shape = file.shape(of: "head.\(head.count).weight") {
      let name = "head.\(head.count)"
      let weight = try file.read("\(name).weight")
      let outputs = shape.first ?? 0
      let bias = try file.read("\(name).bias", shape: [outputs])
      let layer = try Dense(weight: weight, bias: bias, name: name)
      let inputs = head.last?.outputs ?? metadata.featureChannels
      guard layer.inputs == inputs else {
        throw NeuralError.shapeMismatch(
          path: path, key: "\(name).weight", expected: [outputs, inputs],
          found: shape)
      }
      head.append(layer)
    }
    if let last = head.last, last.outputs != 1 && last.outputs != 2 {
      throw NeuralError.invalidBundle(
        path: path, field: "head.\(head.count - 1).weight",
        value: "\(last.outputs) outputs",
        expected: "1 output (sigmoid) or 2 (softmax)")
    }
    return ModelBundle(metadata: metadata, head: head, path: path)
  }

  private static func check(_ metadata: BundleMetadata, path: String) throws {
    let input = metadata.input
    func invalid(_ field: String, _ value: String, _ expected: String)
      -> NeuralError
    {
      .invalidBundle(path: path, field: field, value: value, expected: expected)
    }
    guard metadata.network.architecture == "resnet50" else {
      throw invalid(
        "network.architecture", metadata.network.architecture, "resnet50")
    }
    guard (1...1024).contains(metadata.network.baseWidth) else {
      throw invalid(
        "network.baseWidth", "\(metadata.network.baseWidth)", "1 to 1024")
    }
    guard (32...1024).contains(input.size) else {
      throw invalid("input.size", "\(input.size)", "32 to 1024 pixels")
    }
    guard input.channelOrder == "RGB" || input.channelOrder == "BGR" else {
      throw invalid("input.channelOrder", input.channelOrder, "RGB or BGR")
    }
    guard input.mean.count == 3, input.std.count == 3,
      input.std.allSatisfy({ $0 > 0 })
    else {
      throw invalid(
        "input.mean/std", "\(input.mean) / \(input.std)",
        "three means and three positive standard deviations")
    }
    guard metadata.threshold > 0 && metadata.threshold < 1 else {
      throw invalid(
        "threshold", "\(metadata.threshold)", "a probability between 0 and 1")
    }
  }

  /// Writes the bundle with the given backbone tensors (empty unless the
  /// backbone is embedded).
  public func write(
    to path: String, backbone: [String: Tensor] = [:],
    storage: SafeTensorsWriter.StorageType = .f32
  ) throws {
    var tensors = backbone
    for (index, layer) in head.enumerated() {
      tensors["head.\(index).weight"] = Tensor(
        shape: [layer.outputs, layer.inputs], values: layer.weight)
      tensors["head.\(index).bias"] = Tensor(
        shape: [layer.outputs], values: layer.bias)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let json = String(decoding: try encoder.encode(metadata), as: UTF8.self)
    try SafeTensorsWriter.write(
      path: path, tensors: tensors, metadata: [Self.metadataKey: json],
      storage: storage)
  }
}

extension BundleMetadata {
  /// The network configuration of the backbone.
  public var config: ResNetConfig {
    ResNetConfig(
      variant: network.variant, baseWidth: network.baseWidth,
      batchNormEpsilon: network.batchNormEpsilon)
  }

  /// Channels of the pooled features the head reads.
  public var featureChannels: Int { config.featureChannels }
}
