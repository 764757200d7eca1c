import Foundation

/// Backbone weights generated from a seed: the random-feature backbone of
/// the demo bundle.
///
/// Generator "he-normal-1", fixed so that the same seed gives the same
/// weights in every release (a change needs a new generator name):
/// - each tensor draws from its own stream, seeded by SplitMix64 of the
///   seed XOR the FNV-1a 64-bit hash of the key's UTF-8 bytes;
/// - a convolution weight `[out, in, kh, kw]` is normal with mean 0 and
///   standard deviation `sqrt(2 / (in * kh * kw))` (He initialization),
///   each value from two SplitMix64 outputs by the Box-Muller transform;
/// - batch normalizations are the identity: weight 1, bias 0, running
///   mean 0, running variance 1.
public struct GeneratedWeights: WeightSource {
  /// The generator's name, stored in bundles.
  public static let generator = "he-normal-1"

  /// The seed.
  public let seed: UInt64
  /// The network whose tensors are generated.
  public let config: ResNetConfig
  private let shapes: [String: [Int]]

  /// Creates the generator for a network shape and seed.
  public init(seed: UInt64, config: ResNetConfig) {
    self.seed = seed
    self.config = config
    var shapes: [String: [Int]] = [:]
    for (key, shape) in config.expectedTensors { shapes[key] = shape }
    self.shapes = shapes
  }

  public var path: String { "generated:\(Self.generator):seed=\(seed)" }

  public var keys: [String] { Array(shapes.keys) }

  public func shape(of key: String) -> [Int]? { shapes[key] }

  public func read(_ key: String) throws -> Tensor {
    guard let shape = shapes[key] else {
      throw NeuralError.missingTensor(path: path, key: key, expected: [])
    }
    let count = shape.reduce(1, *)
    if shape.count == 4 {
      var random = SplitMix64(seed: seed ^ Self.fnv1a(key))
      let std = (2.0 / Double(shape[1] * shape[2] * shape[3])).squareRoot()
      var values = [Float](repeating: 0, count: count)
      for index in 0..<count {
        values[index] = Float(random.nextNormal() * std)
      }
      return Tensor(shape: shape, values: values)
    }
    let one = key.hasSuffix(".weight") || key.hasSuffix(".running_var")
    return Tensor(
      shape: shape, values: [Float](repeating: one ? 1 : 0, count: count))
  }

  /// FNV-1a, 64-bit, of a string's UTF-8 bytes.
  static func fnv1a(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
  }
}

/// The SplitMix64 generator of Steele, Lea and Flood (2014).
struct SplitMix64 {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state = state &+ 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }

  /// Returns a uniform double in (0, 1): the top 53 bits plus half a step.
  mutating func nextUniform() -> Double {
    (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992
  }

  /// Returns a standard normal value by the Box-Muller transform. Only
  /// the cosine half is used, so each value takes two fresh uniforms.
  mutating func nextNormal() -> Double {
    let u1 = nextUniform()
    let u2 = nextUniform()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }
}

extension GeneratedWeights {
  /// Writes every generated tensor to a safetensors file in torchvision
  /// names, for other runtimes and the reference scripts.
  public func export(to path: String) throws {
    var tensors: [String: Tensor] = [:]
    for key in keys { tensors[key] = try read(key) }
    try SafeTensorsWriter.write(
      path: path, tensors: tensors,
      metadata: [
        "generator": Self.generator, "seed": "\(seed)",
        "variant": config.variant.rawValue,
      ])
  }
}
