import Foundation
import MyoSupport
import MyoImaging

/// A loaded model bundle: the backbone, the head and the preprocessing,
/// ready to classify slices.
///
/// Calls may come from any thread; they run one at a time because the
/// network's activation buffers are shared.
public final class Classifier: @unchecked Sendable {
  /// The bundle's metadata.
  public let metadata: BundleMetadata
  /// The bundle file.
  public let path: String
  /// SHA-256 of the bundle file.
  public let bundleHash: String
  /// The backbone.
  public let network: ResNet50
  let head: Head
  let preprocessor: Preprocessor
  private let lock = NSLock()

  init(bundle: ModelBundle, network: ResNet50, hash: String) throws {
    guard !bundle.head.isEmpty else {
      throw NeuralError.missingHead(path: bundle.path)
    }
    metadata = bundle.metadata
    path = bundle.path
    bundleHash = hash
    self.network = network
    head = Head(layers: bundle.head)
    preprocessor = Preprocessor(input: bundle.metadata.input)
  }

  /// The bundle's name.
  public var bundleName: String { metadata.name }
  /// Whether the bundle is a demonstration model, not for diagnosis.
  public var isDemo: Bool { metadata.demoLabel != nil }
  /// The demonstration warning to show with every result, or nil.
  public var demoLabel: String? { metadata.demoLabel }

  /// The file name of the demo bundle shipped in `Models/`.
  public static let demoBundleName = "myoscope-demo.safetensors"

  /// The bundle used when none is named. It is the environment variable
  /// MYOSCOPE_MODEL when set, else the first of `demoBundleCandidates`
  /// that exists. When none exists it is the path under the current
  /// directory, so that the error names a path.
  public static var defaultBundlePath: String {
    if let path = ProcessInfo.processInfo.environment["MYOSCOPE_MODEL"],
      !path.isEmpty
    {
      return path
    }
    let candidates = demoBundleCandidates
    return candidates.first(where: FileManager.default.fileExists(atPath:))
      ?? candidates[0]
  }

  /// The places searched for the demo bundle, in order: `Models/` in the
  /// current directory, then `Models/` and `share/myoscope/` beside the
  /// executable and in the five folders above it (a SwiftPM build runs
  /// from `.build/x86_64-unknown-linux-gnu/release`). The executable is
  /// found through /proc/self/exe, because `CommandLine.arguments[0]` is
  /// a bare name when the shell found the program through PATH.
  public static var demoBundleCandidates: [String] {
    let manager = FileManager.default
    let relative = "Models/" + demoBundleName
    var candidates = [manager.currentDirectoryPath + "/" + relative]
    let executablePath =
      (try? manager.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? URL(fileURLWithPath: CommandLine.arguments.first ?? "")
      .resolvingSymlinksInPath().path
    var folder = URL(fileURLWithPath: executablePath)
      .deletingLastPathComponent()
    for _ in 0..<6 {
      candidates.append(folder.appendingPathComponent(relative).path)
      candidates.append(
        folder.appendingPathComponent("share/myoscope/" + demoBundleName).path)
      if folder.path == "/" { break }
      folder = folder.deletingLastPathComponent()
    }
    return candidates
  }

  /// Loads a bundle and its backbone.
  public static func load(bundle path: String) throws -> Classifier {
    let file = try SafeTensorsFile(path: path)
    let bundle = try ModelBundle.read(file)
    let network = try loadBackbone(bundle, file: file)
    return try Classifier(
      bundle: bundle, network: network, hash: try SHA256.file(path))
  }

  /// Builds the backbone from the source the bundle names.
  static func loadBackbone(_ bundle: ModelBundle, file: SafeTensorsFile) throws
    -> ResNet50
  {
    let backbone = bundle.metadata.backbone
    let config = bundle.metadata.config
    switch backbone.kind {
    case "generated":
      guard backbone.generator == GeneratedWeights.generator,
        let seed = backbone.seed
      else {
        throw NeuralError.invalidBundle(
          path: bundle.path, field: "backbone.generator",
          value: backbone.generator ?? "absent",
          expected: "\(GeneratedWeights.generator) with a seed")
      }
      return try ResNetLoader.load(
        GeneratedWeights(seed: seed, config: config), config: config)
    case "embedded":
      return try ResNetLoader.load(file, config: config, ignoring: ["head."])
    case "linked":
      guard let relative = backbone.path, let expected = backbone.sha256 else {
        throw NeuralError.invalidBundle(
          path: bundle.path, field: "backbone.path", value: "absent",
          expected: "the path and sha256 of the linked backbone file")
      }
      let folder = (bundle.path as NSString).deletingLastPathComponent
      let linked =
        relative.hasPrefix("/")
        ? relative : (folder as NSString).appendingPathComponent(relative)
      let found = try SHA256.file(linked)
      guard found == expected else {
        throw NeuralError.hashMismatch(
          path: linked, expected: expected, found: found)
      }
      return try ResNetLoader.load(
        try SafeTensorsFile(path: linked), config: config, ignoring: ["fc."])
    default:
      throw NeuralError.invalidBundle(
        path: bundle.path, field: "backbone.kind", value: backbone.kind,
        expected: "generated, embedded or linked")
    }
  }

  /// Classifies the slices of one case.
  ///
  /// - progress: called with (slices done, total) after each slice.
  /// - isCancelled: polled before each slice and between its stages;
  ///   when it returns true the call throws `NeuralError.cancelled`.
  public func classify(
    _ slices: [ScalarImage],
    progress: @Sendable (Int, Int) -> Void = { _, _ in },
    isCancelled: @Sendable () -> Bool = { false }
  ) throws -> CaseClassification {
    guard !slices.isEmpty else {
      throw NeuralError.invalidInput(reason: "a case with no slices")
    }
    lock.lock()
    defer { lock.unlock() }
    var results: [SliceClassification] = []
    for (index, image) in slices.enumerated() {
      if isCancelled() { throw NeuralError.cancelled }
      results.append(try classifySlice(image, isCancelled: isCancelled))
      progress(index + 1, slices.count)
    }
    let probability = Self.combine(results, rule: metadata.caseRule)
    return CaseClassification(
      probability: probability, isPositive: probability >= metadata.threshold,
      slices: results)
  }

  /// Combines slice results by a case rule.
  static func combine(
    _ slices: [SliceClassification], rule: BundleMetadata.CaseRule
  ) -> Double {
    switch rule {
    case .mean:
      return slices.map(\.probability).reduce(0, +) / Double(slices.count)
    case .max:
      return slices.map(\.probability).max() ?? 0
    case .meanLogit:
      let logit = slices.map(\.logit).reduce(0, +) / Double(slices.count)
      return 1 / (1 + exp(-logit))
    }
  }

  private func classifySlice(
    _ image: ScalarImage, isCancelled: () -> Bool
  ) throws -> SliceClassification {
    guard image.width >= 1 && image.height >= 1 else {
      throw NeuralError.invalidInput(
        reason: "an empty \(image.width)x\(image.height) image")
    }
    let (crop, fromROI) = Self.crop(for: image)
    let size = metadata.input.size
    let input = preprocessor.tensor(image, crop: crop)
    if isCancelled() { throw NeuralError.cancelled }

    let features = network.features(input, batch: 1, size: size)
    if isCancelled() { throw NeuralError.cancelled }

    let (logit, gradient) = head.logitAndGradient(features.pooled)
    let pixels = features.height * features.width
    var map = [Float](repeating: 0, count: pixels)
    // The pooled features average the maps, so d logit / d A_k(x, y) is
    // gradient[k] / pixels. The map uses gradient[k] itself, which keeps
    // the exact-CAM scale: its mean plus the bias is the logit.
    for pixel in 0..<pixels {
      var sum: Float = 0
      let base = pixel * features.channels
      for k in 0..<features.channels {
        sum += gradient[k] * features.maps[base + k]
      }
      map[pixel] = sum
    }
    let cam = CAMMap(
      values: map, width: features.width, height: features.height, crop: crop)
    return SliceClassification(
      probability: 1 / (1 + exp(-logit)), logit: logit, cam: cam, crop: crop,
      cropFromROI: fromROI)
  }

  /// Chooses the crop of a slice: the region of interest of both legs
  /// when the localizer finds one, else the central square.
  static func crop(for image: ScalarImage) -> (CropBox, Bool) {
    if let box = ROILocalizer.locate(image).both,
      let crop = CropBox(
        x: box.x, y: box.y, width: box.width, height: box.height
      )
      .clipped(width: image.width, height: image.height)
    {
      return (crop, true)
    }
    return (CropBox.centre(width: image.width, height: image.height), false)
  }
}

extension Classifier {
  /// The head's layer sizes, input to output.
  public var headShapes: [(inputs: Int, outputs: Int)] {
    head.layers.map { ($0.inputs, $0.outputs) }
  }
}
