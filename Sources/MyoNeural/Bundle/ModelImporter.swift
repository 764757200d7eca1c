import Foundation
import MyoSupport

/// Makes bundles from PyTorch safetensors files and Keras HDF5 files.
public enum ModelImporter {
  /// Options common to both sources.
  public struct Options: Sendable {
    /// The bundle name; the source file's name when nil.
    public var name: String?
    /// Input size in pixels.
    public var size: Int = 224
    /// Case probability at or above which a case is positive.
    public var threshold: Double = 0.5
    /// The rule that combines slice probabilities.
    public var caseRule: BundleMetadata.CaseRule = .mean
    /// Class names, negative first.
    public var classNames = ["other", "dystrophinopathy"]
    /// Overrides the variant implied by the source.
    public var variant: ResNetVariant?
    /// Stores the backbone by path and SHA-256 instead of copying it into
    /// the bundle (safetensors sources only).
    public var link = false

    /// Creates the default options.
    public init() {}
  }

  /// The outcome of an import.
  public struct Result: Sendable {
    /// The written bundle.
    public var bundle: ModelBundle
    /// Remarks for the user, such as a head that was left out.
    public var notes: [String]
  }

  /// Imports a torchvision or timm ResNet50 in safetensors. A head `fc`
  /// with 1 or 2 outputs becomes the bundle's head; an ImageNet head
  /// (1000 outputs) is left out.
  public static func importTorch(
    _ path: String, to output: String, options: Options = Options()
  ) throws -> Result {
    let file = try SafeTensorsFile(path: path)
    guard let stemShape = file.shape(of: "conv1.weight"), stemShape.count == 4
    else {
      throw NeuralError.missingTensor(
        path: path, key: "conv1.weight", expected: [64, 3, 7, 7])
    }
    let config = ResNetConfig(
      variant: options.variant ?? .v1_5, baseWidth: stemShape[0],
      batchNormEpsilon: 1e-5)
    _ = try ResNetLoader.load(file, config: config, ignoring: ["fc."])

    var notes: [String] = []
    var head: [Dense] = []
    if let shape = file.shape(of: "fc.weight") {
      if shape.count == 2 && (shape[0] == 1 || shape[0] == 2) {
        head = [
          try Dense(
            weight: try file.read("fc.weight"), bias: try file.read("fc.bias"),
            name: "fc")
        ]
      } else {
        notes.append(
          "left out the head fc of shape \(Tensor.describe(shape)): not a binary head"
        )
      }
    }

    var backbone = BundleMetadata.Backbone(
      kind: "embedded", origin: (path as NSString).lastPathComponent)
    var tensors: [String: Tensor] = [:]
    if options.link {
      backbone.kind = "linked"
      backbone.path = relativePath(of: path, from: output)
      backbone.sha256 = try SHA256.file(path)
    } else {
      for key in file.keys
      where !key.hasPrefix("fc.") && !key.hasSuffix("num_batches_tracked") {
        tensors[key] = try file.read(key)
      }
    }
    var input = BundleMetadata.Input.torch
    input.size = options.size
    let metadata = makeMetadata(
      path: path, options: options, config: config, backbone: backbone,
      input: input,
      source: "PyTorch safetensors")
    let bundle = ModelBundle(metadata: metadata, head: head, path: output)
    try bundle.write(to: output, backbone: tensors)
    return Result(bundle: bundle, notes: notes)
  }

  /// Imports a Keras ResNet50: the ImageNet `_notop.h5` weights or a whole
  /// model with its dense head.
  public static func importKeras(
    _ path: String, to output: String, options: Options = Options()
  ) throws -> Result {
    let weights = try KerasWeights(path: path)
    if let first = weights.unmapped.first {
      throw NeuralError.unexpectedTensor(
        path: path, key: first.name, found: first.shape)
    }
    guard let stemShape = weights.shape(of: "conv1.weight") else {
      throw NeuralError.missingTensor(
        path: path, key: "conv1_conv/kernel:0", expected: [7, 7, 3, 64])
    }
    let config = ResNetConfig(
      variant: options.variant ?? .v1, baseWidth: stemShape[0],
      batchNormEpsilon: 1.001e-5)
    _ = try ResNetLoader.load(weights, config: config, ignoring: ["head."])
    var head = try weights.head()
    var notes: [String] = []
    if let last = head.last, last.outputs != 1 && last.outputs != 2 {
      notes.append(
        "left out the dense head ending in \(last.outputs) outputs: not a binary head"
      )
      head = []
    }
    var tensors: [String: Tensor] = [:]
    for key in weights.keys where !key.hasPrefix("head.") {
      tensors[key] = try weights.read(key)
    }
    var input = BundleMetadata.Input.caffe
    input.size = options.size
    let backbone = BundleMetadata.Backbone(
      kind: "embedded", origin: (path as NSString).lastPathComponent)
    let metadata = makeMetadata(
      path: path, options: options, config: config, backbone: backbone,
      input: input,
      source: "Keras HDF5")
    let bundle = ModelBundle(metadata: metadata, head: head, path: output)
    try bundle.write(to: output, backbone: tensors)
    return Result(bundle: bundle, notes: notes)
  }

  static func makeMetadata(
    path: String, options: Options, config: ResNetConfig,
    backbone: BundleMetadata.Backbone,
    input: BundleMetadata.Input, source: String
  ) -> BundleMetadata {
    let fileName = (path as NSString).lastPathComponent
    return BundleMetadata(
      formatVersion: BundleMetadata.currentVersion,
      name: options.name ?? fileName, demoLabel: nil,
      network: .init(
        architecture: "resnet50", variant: config.variant,
        baseWidth: config.baseWidth,
        batchNormEpsilon: config.batchNormEpsilon),
      backbone: backbone, input: input, classNames: options.classNames,
      threshold: options.threshold, caseRule: options.caseRule,
      training: ["imported from": "\(fileName) (\(source))"])
  }

  /// `path` relative to the folder of `bundle` when both are relative or
  /// both absolute under a common folder; else `path` made absolute.
  static func relativePath(of path: String, from bundle: String) -> String {
    let target = URL(fileURLWithPath: path).standardizedFileURL.path
    let folder = URL(fileURLWithPath: bundle).deletingLastPathComponent()
      .standardizedFileURL.path
    if target.hasPrefix(folder + "/") {
      return String(target.dropFirst(folder.count + 1))
    }
    return target
  }
}
