import Foundation
import MyoSupport
import MyoImaging
import Testing

@testable import MyoNeural

@Suite("Model bundles")
struct BundleTests {
  static func temporaryPath(_ name: String) -> String {
    NSTemporaryDirectory() + "myoscope-\(UUID().uuidString)-\(name)"
  }

  static var smallOptions: ModelImporter.Options {
    var options = ModelImporter.Options()
    options.size = 64
    return options
  }

  /// Checks a loaded classifier's pooled features and logit against a fixture.
  static func check(_ classifier: Classifier, reference name: String) throws {
    let reference = try Fixture.reference(name)
    let features = classifier.network.features(
      reference.input, batch: 1, size: 64)
    #expect(Fixture.relativeError(features.pooled, reference.pooled) < 1e-4)
    let (logit, _) = classifier.head.logitAndGradient(features.pooled)
    #expect(
      abs(logit - Double(reference.logit)) <= 1e-4
        * max(1, abs(Double(reference.logit))))
  }

  @Test("torch import round trip, embedded")
  func torchEmbedded() throws {
    let path = Self.temporaryPath("torch.safetensors")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try ModelImporter.importTorch(
      Fixture.path("resnet-v1.5-w4.safetensors"), to: path,
      options: Self.smallOptions)
    #expect(result.notes.isEmpty)
    let classifier = try Classifier.load(bundle: path)
    #expect(!classifier.isDemo)
    #expect(classifier.metadata.network.variant == .v1_5)
    #expect(classifier.metadata.network.baseWidth == 4)
    #expect(classifier.metadata.input.mode == "torch")
    #expect(classifier.headShapes.count == 1)
    #expect(classifier.bundleHash == (try SHA256.file(path)))
    try Self.check(
      classifier, reference: "resnet-v1.5-w4.reference.safetensors")
  }

  @Test("torch import linked, and a changed backbone is caught")
  func torchLinked() throws {
    let folder = Self.temporaryPath("linked")
    try FileManager.default.createDirectory(
      atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let backbone = folder + "/backbone.safetensors"
    try FileManager.default.copyItem(
      atPath: Fixture.path("resnet-v1.5-w4.safetensors"), toPath: backbone)
    var options = Self.smallOptions
    options.link = true
    let bundlePath = folder + "/model.safetensors"
    let result = try ModelImporter.importTorch(
      backbone, to: bundlePath, options: options)
    #expect(result.bundle.metadata.backbone.path == "backbone.safetensors")
    try Self.check(
      try Classifier.load(bundle: bundlePath),
      reference: "resnet-v1.5-w4.reference.safetensors")

    let handle = try #require(FileHandle(forUpdatingAtPath: backbone))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data([0]))
    try handle.close()
    #expect(throws: NeuralError.self) {
      try Classifier.load(bundle: bundlePath)
    }
  }

  @Test("Keras import round trip with a two-layer head")
  func kerasImport() throws {
    let path = Self.temporaryPath("keras.safetensors")
    defer { try? FileManager.default.removeItem(atPath: path) }
    _ = try ModelImporter.importKeras(
      Fixture.path("resnet-v1-w4.keras.h5"), to: path,
      options: Self.smallOptions)
    let classifier = try Classifier.load(bundle: path)
    #expect(classifier.metadata.network.variant == .v1)
    #expect(classifier.metadata.network.batchNormEpsilon == 1.001e-5)
    #expect(classifier.metadata.input.mode == "caffe")
    #expect(classifier.headShapes.map(\.outputs) == [8, 1])
    try Self.check(classifier, reference: "resnet-v1-w4.reference.safetensors")
  }

  @Test("a file without the metadata block is not a bundle")
  func notABundle() throws {
    let path = Fixture.path("resnet-v1.5-w4.safetensors")
    #expect(
      throws: NeuralError.invalidBundle(
        path: path, field: "__metadata__.myoscope", value: "absent",
        expected: "a myoscope bundle; make one with 'myoscope model import'")
    ) {
      try Classifier.load(bundle: path)
    }
  }

  @Test("classify reports progress, a CAM and cancellation")
  func classifySlices() throws {
    let path = Self.temporaryPath("torch.safetensors")
    defer { try? FileManager.default.removeItem(atPath: path) }
    _ = try ModelImporter.importTorch(
      Fixture.path("resnet-v1.5-w4.safetensors"), to: path,
      options: Self.smallOptions)
    let classifier = try Classifier.load(bundle: path)
    var random = SplitMix64(seed: 9)
    let slices = (0..<3).map { _ in
      SyntheticThigh.slice(positive: true, random: &random)
    }

    let counter = ProgressRecorder()
    let result = try classifier.classify(
      slices, progress: { done, total in counter.record(done, total) },
      isCancelled: { false })
    #expect(counter.calls == [[1, 3], [2, 3], [3, 3]])
    #expect(result.slices.count == 3)
    let mean = result.slices.map(\.probability).reduce(0, +) / 3
    #expect(abs(result.probability - mean) < 1e-12)
    for slice in result.slices {
      #expect(abs(slice.probability - 1 / (1 + exp(-slice.logit))) < 1e-12)
      let cam = try #require(slice.cam)
      #expect(cam.width == 2)
      #expect(cam.height == 2)
      #expect(cam.crop == slice.crop)
      // Exact CAM: the map's mean plus the head bias is the logit.
      let bias = Double(
        classifier.head.layers[0].bias[1] - classifier.head.layers[0].bias[0])
      let mean = Double(cam.values.reduce(0, +)) / 4
      #expect(abs(mean + bias - slice.logit) < 1e-4 * max(1, abs(slice.logit)))
    }

    #expect(throws: NeuralError.cancelled) {
      try classifier.classify(
        slices, progress: { _, _ in }, isCancelled: { true })
    }
  }
}

/// Records progress calls from a `@Sendable` closure.
final class ProgressRecorder: @unchecked Sendable {
  private let lock = NSLock()
  private(set) var calls: [[Int]] = []

  func record(_ done: Int, _ total: Int) {
    lock.lock()
    calls.append([done, total])
    lock.unlock()
  }
}
