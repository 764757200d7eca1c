/// The metadata block of a model bundle, stored as JSON under the key
/// `myoscope` of the safetensors `__metadata__` map.
public struct BundleMetadata: Codable, Sendable, Equatable {
  /// The format version this code writes and reads.
  public static let currentVersion = 1

  /// The format version of the file.
  public var formatVersion: Int
  /// A short name shown with every result.
  public var name: String
  /// The warning shown with every result of a demonstration model, or nil
  /// for a real one.
  public var demoLabel: String?
  /// Network shape.
  public var network: Network
  /// Where the backbone weights are.
  public var backbone: Backbone
  /// How a slice becomes the network input.
  public var input: Input
  /// Class names, negative class first.
  public var classNames: [String]
  /// Case probability at or above which a case is called positive.
  public var threshold: Double
  /// How slice probabilities combine into a case probability.
  public var caseRule: CaseRule
  /// How the head was trained, as name and value pairs for `model info`.
  public var training: [String: String]

  /// The backbone's shape.
  public struct Network: Codable, Sendable, Equatable {
    /// Always "resnet50".
    public var architecture: String
    /// Where the downsampling stride sits.
    public var variant: ResNetVariant
    /// 64 for the standard network.
    public var baseWidth: Int
    /// Batch normalization epsilon.
    public var batchNormEpsilon: Float
  }

  /// The source of the backbone weights.
  public struct Backbone: Codable, Sendable, Equatable {
    /// "generated" (from a seed), "embedded" (tensors in the bundle under
    /// their torchvision names) or "linked" (a file beside the bundle).
    public var kind: String
    /// For "generated": the generator name and seed.
    public var generator: String?
    public var seed: UInt64?
    /// For "linked": the path, relative to the bundle's folder, and the
    /// SHA-256 of the file.
    public var path: String?
    public var sha256: String?
    /// What the weights are, such as "timm resnet50.a1_in1k".
    public var origin: String?
  }

  /// Input preprocessing. A display intensity `v` in [0, 1] (the slice's
  /// default window) becomes channel `c` as `(v * scale - mean[c]) /
  /// std[c]`, the three channels in `channelOrder`.
  public struct Input: Codable, Sendable, Equatable {
    /// Height and width of the network input.
    public var size: Int
    /// "RGB" (PyTorch) or "BGR" (Keras "caffe" mode).
    public var channelOrder: String
    /// "torch", "caffe" or "tf", for display; the numbers below rule.
    public var mode: String
    public var scale: Float
    public var mean: [Float]
    public var std: [Float]

    /// ImageNet normalization of torchvision and timm.
    public static let torch = Input(
      size: 224, channelOrder: "RGB", mode: "torch", scale: 1,
      mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])

    /// Keras "caffe" mode: BGR, 0 to 255, ImageNet means subtracted.
    public static let caffe = Input(
      size: 224, channelOrder: "BGR", mode: "caffe", scale: 255,
      mean: [103.939, 116.779, 123.68], std: [1, 1, 1])
  }

  /// The rule that combines slice probabilities.
  public enum CaseRule: String, Codable, Sendable, CaseIterable {
    /// Mean of the slice probabilities.
    case mean
    /// Largest slice probability.
    case max
    /// Probability of the mean slice logit.
    case meanLogit
  }
}
