import Foundation
import Testing

@testable import MyoNeural

@Suite("Weight loading errors")
struct LoaderErrorTests {
  static let config = ResNetConfig(variant: .v1_5, baseWidth: 4)

  static func fixtureTensors() throws -> [String: Tensor] {
    let file = try SafeTensorsFile(
      path: Fixture.path("resnet-v1.5-w4.safetensors"))
    var tensors: [String: Tensor] = [:]
    for key in file.keys where !key.hasPrefix("fc.") {
      tensors[key] = try file.read(key)
    }
    return tensors
  }

  @Test("missing tensor names the key and shape")
  func missing() throws {
    var tensors = try Self.fixtureTensors()
    tensors["layer3.1.bn2.running_var"] = nil
    let source = DictionaryWeights(tensors: tensors)
    #expect(
      throws: NeuralError.missingTensor(
        path: "memory.safetensors", key: "layer3.1.bn2.running_var",
        expected: [16])
    ) {
      try ResNetLoader.load(source, config: Self.config)
    }
    let error = NeuralError.missingTensor(
      path: "memory.safetensors", key: "layer3.1.bn2.running_var",
      expected: [16])
    #expect(
      error.description
        == "memory.safetensors: missing tensor 'layer3.1.bn2.running_var' of shape [16];"
        + " check that the file holds a ResNet50 of the named variant")
  }

  @Test("mis-shaped tensor names expected and found")
  func misShaped() throws {
    var tensors = try Self.fixtureTensors()
    tensors["layer2.0.conv2.weight"] = Tensor(
      shape: [8, 8, 1, 1], values: .init(repeating: 0, count: 64))
    let source = DictionaryWeights(tensors: tensors)
    let expected = NeuralError.shapeMismatch(
      path: "memory.safetensors", key: "layer2.0.conv2.weight",
      expected: [8, 8, 3, 3],
      found: [8, 8, 1, 1])
    #expect(throws: expected) {
      try ResNetLoader.load(source, config: Self.config)
    }
    #expect(
      expected.description
        == "memory.safetensors: tensor 'layer2.0.conv2.weight' has shape [8, 8, 1, 1],"
        + " expected [8, 8, 3, 3]")
  }

  @Test("extra tensor is rejected unless ignored")
  func extra() throws {
    var tensors = try Self.fixtureTensors()
    tensors["layer5.0.conv1.weight"] = Tensor(shape: [2], values: [0, 0])
    tensors["layer1.0.bn1.num_batches_tracked"] = Tensor(shape: [], values: [0])
    let source = DictionaryWeights(tensors: tensors)
    #expect(
      throws: NeuralError.unexpectedTensor(
        path: "memory.safetensors", key: "layer5.0.conv1.weight", found: [2])
    ) {
      try ResNetLoader.load(source, config: Self.config)
    }
    _ = try ResNetLoader.load(
      source, config: Self.config, ignoring: ["layer5."])
  }

  @Test("negative running variance is rejected")
  func negativeVariance() throws {
    var tensors = try Self.fixtureTensors()
    var variance = tensors["bn1.running_var"]!
    variance.values[2] = -1
    tensors["bn1.running_var"] = variance
    #expect(
      throws: NeuralError.invalidFile(
        path: "memory.safetensors", field: "bn1.running_var[2]", found: "-1.0",
        expected: "a variance of 0 or more")
    ) {
      try ResNetLoader.load(
        DictionaryWeights(tensors: tensors), config: Self.config)
    }
  }

  static let entry = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
  static let headerCases: [([UInt8], String)] = [
    // Shorter than the 8-byte length field.
    ([0, 0, 0, 0], "header length"),
    // A header length of 65535 in a 16-byte file.
    (
      [0xff, 0xff, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0x20, count: 8),
      "header length"
    ),
    // A header that is JSON but not an object.
    ([4, 0, 0, 0, 0, 0, 0, 0] + Array("[1] ".utf8), "header"),
    // A tensor whose 8 data bytes are not in the file.
    (
      [UInt8(entry.utf8.count), 0, 0, 0, 0, 0, 0, 0] + Array(entry.utf8),
      "data_offsets of 'a'"
    ),
  ]

  @Test("safetensors header errors", arguments: headerCases)
  func badHeaders(bytes: [UInt8], field: String) throws {
    let path =
      NSTemporaryDirectory() + "myoscope-bad-\(UUID().uuidString).safetensors"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let error = try #require(throws: NeuralError.self) {
      try SafeTensorsFile(path: path)
    }
    guard case .invalidFile(_, let reported, _, _) = error else {
      Issue.record("expected an invalid-file error, got \(error)")
      return
    }
    #expect(reported == field)
  }
}
