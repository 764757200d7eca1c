import Foundation
import Testing

@testable import MyoNeural

/// The committed reference fixtures: a ResNet50 of base width 4 (the
/// standard topology, 1/16 of the channels) on a 64x64 input, with numpy
/// outputs made by scripts/reference/resnet_reference.py.
enum Fixture {
  static let folder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().appendingPathComponent("Fixtures").path

  static func path(_ name: String) -> String { folder + "/" + name }

  /// The numpy reference of one fixture.
  struct Reference {
    var input: [Float]
    var features: [Float]
    var pooled: [Float]
    var logit: Float
    var cam: [Float]
    var size: Int
  }

  static func reference(_ name: String) throws -> Reference {
    let file = try SafeTensorsFile(path: path(name))
    let size = try #require(Int(file.metadata["size"] ?? ""))
    return Reference(
      input: try file.read("input").values,
      features: try file.read("features").values,
      pooled: try file.read("pooled").values,
      logit: try file.read("logit").values[0],
      cam: try file.read("cam").values, size: size)
  }

  /// Computes the largest absolute difference over the largest reference
  /// magnitude.
  static func relativeError(_ found: [Float], _ expected: [Float]) -> Double {
    precondition(found.count == expected.count)
    var difference = 0.0
    var scale = 0.0
    for (a, b) in zip(found, expected) {
      difference = max(difference, abs(Double(a) - Double(b)))
      scale = max(scale, abs(Double(b)))
    }
    return difference / max(scale, 1e-30)
  }
}

/// Tensors in memory, for loader tests.
struct DictionaryWeights: WeightSource {
  var path = "memory.safetensors"
  var tensors: [String: Tensor]

  var keys: [String] { Array(tensors.keys) }
  func shape(of key: String) -> [Int]? { tensors[key]?.shape }
  func read(_ key: String) throws -> Tensor {
    guard let tensor = tensors[key] else {
      throw NeuralError.missingTensor(path: path, key: key, expected: [])
    }
    return tensor
  }
}
