import Foundation
import MyoImaging
import Testing

@testable import MyoNeural

@Suite("Training pipeline", .serialized)
struct TrainingPipelineTests {
  /// A configuration for the reduced backbone, with Adam so that a few
  /// dozen epochs suffice.
  static func configuration(
    manifest: String, bundle: String, cache: String?, seed: UInt64 = 21
  ) -> TrainingConfiguration {
    var configuration = TrainingConfiguration(
      manifestPath: manifest, bundlePath: bundle,
      backbone: .generated(seed: seed, config: TrainingFixtures.config))
    configuration.input = TrainingFixtures.input
    configuration.cacheFolder = cache
    configuration.head.optimizer = .adam
    configuration.head.learningRate = 1e-3
    configuration.head.hiddenUnits = [32]
    configuration.head.maxEpochs = 60
    configuration.head.patience = 15
    configuration.split = .random(seed: 5, fractions: [0.5, 0.25, 0.25])
    return configuration
  }

  @Test("easy cohort reaches 0.9 validation accuracy")
  func easyCohort() throws {
    let folder = try TrainingFixtures.folder("train")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let manifest = try TrainingFixtures.cohort(in: folder, cases: 24)
    let bundlePath = folder + "/model.safetensors"
    let outcome = try TrainingPipeline.run(
      Self.configuration(manifest: manifest, bundle: bundlePath, cache: nil))

    #expect((outcome.validationImageAccuracy ?? 0) >= 0.9)
    #expect((outcome.validationCaseAccuracy ?? 0) >= 0.9)
    let first = try #require(outcome.head.history.first)
    let last = try #require(outcome.head.history.last)
    #expect(last.trainingLoss < first.trainingLoss)
    #expect(outcome.imageCounts[.training] == 24)
    #expect(outcome.imageCounts[.validation] == 12)

    // The bundle reads back, records the split without overlap, and
    // classifies a held-out case.
    let bundle = try ModelBundle.read(path: bundlePath)
    let training = bundle.metadata.training
    func names(_ key: String) throws -> Set<String> {
      let text = try #require(training[key])
      return Set(try JSONDecoder().decode([String].self, from: Data(text.utf8)))
    }
    let parts = try ["split.train", "split.validation", "split.test"].map(names)
    #expect(parts[0].isDisjoint(with: parts[1]))
    #expect(parts[0].isDisjoint(with: parts[2]))
    #expect(parts[1].isDisjoint(with: parts[2]))
    #expect(parts.map(\.count) == [12, 6, 6])
    #expect(training["cohort.sha256"]?.count == 64)
    #expect(training["epochs"] == "\(outcome.head.history.count)")

    let classifier = try Classifier.load(bundle: bundlePath)
    let manifestCases = try CohortManifest.read(path: manifest).cases
    var correct = 0
    for item in manifestCases where parts[2].contains(item.name) {
      let files = try TrainingPipeline.imageFiles(of: item, manifest: manifest)
      let images = try files.flatMap { try MyoImagingReader.read($0) }
      let result = try classifier.classify(images)
      if result.isPositive == item.isPositive { correct += 1 }
    }
    #expect(correct >= 5)
  }

  @Test("feature cache is reused and keyed by the backbone")
  func cache() throws {
    let folder = try TrainingFixtures.folder("cache")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let manifest = try TrainingFixtures.cohort(in: folder, cases: 8, slices: 1)
    let cache = folder + "/cache"
    var configuration = Self.configuration(
      manifest: manifest, bundle: folder + "/a.safetensors", cache: cache)
    configuration.head.maxEpochs = 3

    let first = try TrainingPipeline.run(configuration)
    #expect(first.cacheHits == 0)
    #expect(first.cacheMisses == 6)
    #expect(first.computedSlices == 6)

    // Other hyperparameters: every feature comes from the cache.
    configuration.head.learningRate = 5e-3
    configuration.head.hiddenUnits = []
    configuration.bundlePath = folder + "/b.safetensors"
    var lines: [String] = []
    let second = try TrainingPipeline.run(configuration, log: { lines.append($0) })
    #expect(second.cacheHits == 6)
    #expect(second.cacheMisses == 0)
    #expect(second.computedSlices == 0)
    // The log counts each part's own cache lookups, which add up to the
    // run's.
    let parts = lines.filter { $0.hasPrefix("features ") && $0.contains("(cache: ") }
    #expect(parts.count == 2)
    #expect(parts.allSatisfy { $0.hasSuffix(" 0 computed)") })
    let found = parts.compactMap { line -> Int? in
      guard let range = line.range(of: "(cache: ") else { return nil }
      return Int(line[range.upperBound...].prefix { $0.isNumber })
    }
    #expect(found.reduce(0, +) == 6)

    // Another backbone: nothing matches.
    configuration.backbone = .generated(seed: 99, config: TrainingFixtures.config)
    let third = try TrainingPipeline.run(configuration)
    #expect(third.cacheHits == 0)
    #expect(third.computedSlices == 6)

    // A changed image file misses too.
    let changed = folder + "/case-000/slice-1.png"
    var random = SplitMix64(seed: 1234)
    let bytes = try PNGCodec.encode(TrainingFixtures.image(positive: true, random: &random))
    try Data(bytes).write(to: URL(fileURLWithPath: changed))
    let fourth = try TrainingPipeline.run(configuration)
    #expect(fourth.computedSlices == 1)
  }

  @Test("augmented copies are cached per draw")
  func augmentation() throws {
    let folder = try TrainingFixtures.folder("augment")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let manifest = try TrainingFixtures.cohort(in: folder, cases: 8, slices: 1)
    var configuration = Self.configuration(
      manifest: manifest, bundle: folder + "/a.safetensors", cache: folder + "/cache")
    configuration.head.maxEpochs = 2
    configuration.augmentation.copies = 2
    let first = try TrainingPipeline.run(configuration)
    // 4 training and 2 validation files, two copies of each training one.
    #expect(first.computedSlices == 6 + 8)
    let second = try TrainingPipeline.run(configuration)
    #expect(second.computedSlices == 0)
    #expect(second.cacheHits == 14)
  }

  @Test("missing case folder names the case")
  func missingCase() throws {
    let folder = try TrainingFixtures.folder("missing")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let manifest = folder + "/cohort.csv"
    try "case,diagnosis\nabsent,DMD\nother,myositis\n".write(
      toFile: manifest, atomically: true, encoding: .utf8)
    var configuration = Self.configuration(
      manifest: manifest, bundle: folder + "/m.safetensors", cache: nil)
    configuration.split = .random(seed: 1, fractions: [1, 0, 0])
    do {
      _ = try TrainingPipeline.run(configuration)
      Issue.record("no error for a missing case folder")
    } catch let error as TrainingError {
      guard case .missingCase(_, let caseName, _) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(caseName == "absent" || caseName == "other")
    }
  }
}

/// Reads every slice of an image file.
enum MyoImagingReader {
  static func read(_ path: String) throws -> [MyoImaging.ScalarImage] {
    try MyoImaging.ImageFile.readAll(path: path)
  }
}
