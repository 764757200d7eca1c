import Foundation
import Testing

@testable import MyoNeural

/// The interpreter named by MYOSCOPE_PYTHON, with numpy, safetensors and
/// h5py installed (scripts/test makes one).
private let python = ProcessInfo.processInfo.environment["MYOSCOPE_PYTHON"]

@Suite(
  "Full-size ResNet50 against numpy",
  .enabled(
    if: python != nil, "needs MYOSCOPE_PYTHON with numpy, safetensors and h5py")
)
struct FullSizeReferenceTests {
  static let script = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("scripts/reference/resnet_reference.py").path

  /// Runs the reference script into a fresh folder and returns it.
  static func makeReference(variant: String) throws -> String {
    let folder =
      NSTemporaryDirectory() + "myoscope-full-\(variant)-\(UUID().uuidString)"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(python))
    process.arguments = [
      script, "--width", "64", "--size", "224", "--variant", variant, "--seed",
      "5",
      "--out", folder,
    ]
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0)
    return folder
  }

  @Test(
    "v1.5 from safetensors and v1 from Keras HDF5", arguments: ["v1.5", "v1"])
  func fullSize(variant: String) throws {
    let folder = try Self.makeReference(variant: variant)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    // Every kernel this processor runs, each against the same reference.
    for kernels in ConvolutionKernels.available {
      try check(variant: variant, folder: folder, kernels: kernels)
    }
  }

  func check(variant: String, folder: String, kernels: ConvolutionKernels) throws {
    let reference = try SafeTensorsFile(path: folder + "/reference.safetensors")
    let head: [Dense]
    let network: ResNet50
    if variant == "v1" {
      let weights = try KerasWeights(path: folder + "/model.h5")
      let config = ResNetConfig(variant: .v1, batchNormEpsilon: 1.001e-5)
      network = try ResNetLoader.load(
        weights, config: config, ignoring: ["head."], kernels: kernels)
      head = try weights.head()
    } else {
      let weights = try SafeTensorsFile(path: folder + "/weights.safetensors")
      network = try ResNetLoader.load(
        weights, config: ResNetConfig(variant: .v1_5), ignoring: ["fc."], kernels: kernels)
      head = [
        try Dense(
          weight: weights.read("fc.weight"), bias: weights.read("fc.bias"),
          name: "fc")
      ]
    }

    let features = network.features(
      try reference.read("input").values, batch: 1, size: 224)
    let expectedMaps = try reference.read("features").values
    #expect(
      Fixture.relativeError(features.maps, expectedMaps) < 1e-4,
      "\(kernels.rawValue) kernels")

    let (logit, gradient) = Head(layers: head).logitAndGradient(features.pooled)
    let expectedLogit = Double(try reference.read("logit").values[0])
    #expect(abs(logit - expectedLogit) <= 1e-4 * max(1, abs(expectedLogit)))

    let pixels = features.height * features.width
    var cam = [Float](repeating: 0, count: pixels)
    for pixel in 0..<pixels {
      for k in 0..<features.channels {
        cam[pixel] += gradient[k] * features.maps[pixel * features.channels + k]
      }
    }
    #expect(Fixture.relativeError(cam, try reference.read("cam").values) < 1e-3)
  }
}
