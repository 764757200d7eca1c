import Foundation
import MyoImaging

/// The outcome of a training run.
public struct TrainingOutcome: Sendable {
  /// The bundle as written.
  public var bundle: ModelBundle
  /// The split by case.
  public var split: CohortSplit
  /// The head's training history.
  public var head: HeadTrainingResult
  /// Images per part, originals only.
  public var imageCounts: [SplitPart: Int]
  /// Validation figures of the kept head (nil without validation cases):
  /// mean loss and accuracy per image, accuracy per case.
  public var validationLoss: Double?
  public var validationImageAccuracy: Double?
  public var validationCaseAccuracy: Double?
  /// Cache lookups that hit and missed, and slices run through the
  /// backbone.
  public var cacheHits: Int
  public var cacheMisses: Int
  public var computedSlices: Int
}

/// Trains a head on a cohort: split by case, extract (or reuse) the
/// backbone features of every slice, fit the head, write the bundle.
public enum TrainingPipeline {
  /// Runs the whole pipeline. `log` receives one line per step and
  /// `progress` each epoch's report.
  public static func run(
    _ configuration: TrainingConfiguration, log: (String) -> Void = { _ in },
    progress: (EpochReport) -> Void = { _ in }
  ) throws -> TrainingOutcome {
    try configuration.head.validate()
    let manifest = try CohortManifest.read(path: configuration.manifestPath)
    let split = try makeSplit(configuration.split, manifest)
    for part in [SplitPart.training] where split.cases(in: part).isEmpty {
      throw TrainingError.unusableSplit(part: part.rawValue, reason: "it has no cases")
    }
    log(
      "cohort \(manifest.cases.count) cases; split \(split.source.rawValue)"
        + " \(split.training.count)/\(split.validation.count)/\(split.test.count)")

    // Features of the training and validation slices; the test cases are
    // left for `evaluate`.
    let cache = try configuration.cacheFolder.map { try FeatureCache(folder: $0) }
    let extractor = try FeatureExtractor(
      backbone: configuration.backbone, input: configuration.input, cache: cache)
    let channels = extractor.network.config.featureChannels
    var training = LabelledFeatures(channels: channels)
    var validation = LabelledFeatures(channels: channels)
    var validationCases: [(label: Bool, vectors: [[Float]])] = []
    var imageCounts: [SplitPart: Int] = [:]
    let byName = Dictionary(uniqueKeysWithValues: manifest.cases.map { ($0.name, $0) })
    for part in [SplitPart.training, .validation] {
      let names = split.cases(in: part)
      let hitsBefore = cache?.hits ?? 0
      let missesBefore = cache?.misses ?? 0
      for (index, name) in names.enumerated() {
        // The backbone pass is the slow step, so its progress is shown
        // at each tenth of the cases.
        if index > 0, index * 10 / names.count != (index - 1) * 10 / names.count {
          log("features \(part.rawValue): \(index)/\(names.count) cases")
        }
        let item = byName[name]!
        let files = try imageFiles(of: item, manifest: manifest.path)
        var vectors: [[Float]] = []
        for file in files {
          let slices = try extractor.features(file: file)
          vectors += slices
          imageCounts[part, default: 0] += slices.count
          guard part == .training, configuration.augmentation.copies > 0 else { continue }
          let hash = try extractor.fileHash(file)
          for copy in 1...configuration.augmentation.copies {
            let draw = configuration.augmentation.draw(fileHash: hash, copy: copy)
            for vector in try extractor.features(file: file, draw: draw) {
              training.append(vector, label: item.isPositive)
            }
          }
        }
        switch part {
        case .training:
          for vector in vectors { training.append(vector, label: item.isPositive) }
        case .validation:
          for vector in vectors { validation.append(vector, label: item.isPositive) }
          validationCases.append((item.isPositive, vectors))
        case .test:
          break
        }
      }
      // The cache contains one entry per image file and augmentation draw,
      // so its counts are of files, not of slices.
      log(
        "features \(part.rawValue): \(imageCounts[part] ?? 0) images"
          + " (cache: \((cache?.hits ?? 0) - hitsBefore) files found,"
          + " \((cache?.misses ?? 0) - missesBefore) computed)")
    }

    let result = try HeadTrainer.train(
      training: training, validation: validation, options: configuration.head,
      progress: progress)

    var layers = result.layers
    var backboneTensors: [String: Tensor] = [:]
    var fineTuneRecord: [String: String] = [:]
    if let fineTune = configuration.fineTune {
      let tuned = try fineTuneStage(
        fineTune, configuration: configuration, manifest: manifest, split: split,
        extractor: extractor, head: result, log: log, progress: progress)
      layers = tuned.head.exported(mean: result.mean, std: result.std)
      backboneTensors = FineTuner.backboneTensors(extractor.network, stage: tuned.stage)
      validationCases = tuned.validation
      fineTuneRecord = [
        "fineTune": "last stage, \(tuned.history.count) epochs (best \(tuned.bestEpoch)),"
          + " learning rate \(fineTune.learningRate)"
      ]
    }

    // Validation figures of the kept head, through the same head code
    // the classifier runs.
    let head = Head(layers: layers)
    var outcome = TrainingOutcome(
      bundle: ModelBundle(metadata: try metadata(configuration, manifest), head: [], path: ""),
      split: split, head: result, imageCounts: imageCounts, cacheHits: cache?.hits ?? 0,
      cacheMisses: cache?.misses ?? 0, computedSlices: extractor.computedSlices)
    if !validationCases.isEmpty {
      var loss = 0.0
      var images = 0
      var correctImages = 0
      var correctCases = 0
      for (label, vectors) in validationCases where !vectors.isEmpty {
        let logits = vectors.map { head.logitAndGradient($0).logit }
        for z in logits {
          loss += HeadTrainer.crossEntropy(logit: z, label: label)
          if (z >= 0) == label { correctImages += 1 }
        }
        images += logits.count
        let probability = caseProbability(logits, rule: configuration.caseRule)
        if (probability >= configuration.threshold) == label { correctCases += 1 }
      }
      outcome.validationLoss = loss / Double(max(images, 1))
      outcome.validationImageAccuracy = Double(correctImages) / Double(max(images, 1))
      outcome.validationCaseAccuracy = Double(correctCases) / Double(validationCases.count)
    }

    var metadata = outcome.bundle.metadata
    metadata.training.merge(record(outcome, split: split)) { _, new in new }
    metadata.training.merge(fineTuneRecord) { _, new in new }
    if !backboneTensors.isEmpty {
      metadata.backbone = BundleMetadata.Backbone(
        kind: "embedded", generator: nil, seed: nil, path: nil, sha256: nil,
        origin: "last stage fine-tuned from \(extractor.backboneIdentity)")
    }
    let bundle = ModelBundle(metadata: metadata, head: layers, path: configuration.bundlePath)
    try bundle.write(to: configuration.bundlePath, backbone: backboneTensors)
    outcome.bundle = bundle
    log("wrote \(configuration.bundlePath)")
    return outcome
  }

  /// Fine-tunes the last stage and the head on the training slices (not
  /// the augmented copies); returns them with the validation cases'
  /// features through the tuned stage.
  static func fineTuneStage(
    _ fineTune: FineTuneOptions, configuration: TrainingConfiguration,
    manifest: CohortManifest, split: CohortSplit, extractor: FeatureExtractor,
    head: HeadTrainingResult, log: (String) -> Void, progress: (EpochReport) -> Void
  ) throws -> (
    stage: TrainableStage, head: TrainableHead, history: [EpochReport], bestEpoch: Int,
    validation: [(label: Bool, vectors: [[Float]])]
  ) {
    let byName = Dictionary(uniqueKeysWithValues: manifest.cases.map { ($0.name, $0) })
    var training: [FineTuner.Sample] = []
    var validation: [FineTuner.Sample] = []
    var validationCases: [(label: Bool, samples: [FineTuner.Sample])] = []
    for part in [SplitPart.training, .validation] {
      let names = split.cases(in: part)
      for (index, name) in names.enumerated() {
        if index > 0, index * 10 / names.count != (index - 1) * 10 / names.count {
          log("last-stage inputs \(part.rawValue): \(index)/\(names.count) cases")
        }
        let item = byName[name]!
        var samples: [FineTuner.Sample] = []
        for file in try imageFiles(of: item, manifest: manifest.path) {
          for (input, side) in try extractor.stageInputs(file: file) {
            samples.append(FineTuner.Sample(input: input, side: side, label: item.isPositive))
          }
        }
        if part == .training {
          training += samples
        } else {
          validation += samples
          validationCases.append((item.isPositive, samples))
        }
      }
    }
    log("fine-tuning the last stage on \(training.count) slices")
    let result = FineTuner.run(
      network: extractor.network, head: head.standardizedHead, mean: head.mean,
      std: head.std, training: training, validation: validation,
      options: configuration.head, fineTune: fineTune, progress: progress)
    let vectors = validationCases.map { item in
      (item.label, item.samples.map { result.stage.forward($0.input, side: $0.side).pooled })
    }
    return (result.stage, result.head, result.history, result.bestEpoch, vectors)
  }

  /// The split the configuration asks for.
  static func makeSplit(
    _ choice: TrainingConfiguration.SplitChoice, _ manifest: CohortManifest
  ) throws -> CohortSplit {
    switch choice {
    case .manifest:
      return try CohortSplit.fromManifest(manifest)
    case .random(let seed, let fractions):
      return try CohortSplit.random(manifest.cases, seed: seed, fractions: fractions)
    case .automatic(let seed):
      if manifest.cases.allSatisfy({ $0.split != nil }) {
        return try CohortSplit.fromManifest(manifest)
      }
      return try CohortSplit.random(manifest.cases, seed: seed)
    }
  }

  /// The image files of a case: the files in its folder in natural order,
  /// or the case path itself when it is a file.
  public static func imageFiles(of item: CohortCase, manifest: String) throws -> [String] {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: item.folder, isDirectory: &isFolder) else {
      throw TrainingError.missingCase(path: manifest, caseName: item.name, folder: item.folder)
    }
    guard isFolder.boolValue else { return [item.folder] }
    let files = (try? CaseLibrary.imageFiles(in: item.folder)) ?? []
    guard !files.isEmpty else {
      throw TrainingError.missingCase(path: manifest, caseName: item.name, folder: item.folder)
    }
    return files
  }

  /// Combines slice logits by a case rule, as the classifier does.
  static func caseProbability(_ logits: [Double], rule: BundleMetadata.CaseRule) -> Double {
    let probabilities = logits.map(HeadTrainer.sigmoid)
    switch rule {
    case .mean: return probabilities.reduce(0, +) / Double(probabilities.count)
    case .max: return probabilities.max() ?? 0
    case .meanLogit: return HeadTrainer.sigmoid(logits.reduce(0, +) / Double(logits.count))
    }
  }

  /// The bundle metadata before training figures are added.
  static func metadata(
    _ configuration: TrainingConfiguration, _ manifest: CohortManifest
  ) throws -> BundleMetadata {
    let config = configuration.backbone.config
    var training = configuration.head.record
    let augmentation = configuration.augmentation
    training["augmentation"] =
      augmentation.copies == 0
      ? "none"
      : "copies \(augmentation.copies), flip \(augmentation.flip),"
        + " rotation \(augmentation.rotationDegrees) degrees, scale \(augmentation.scale),"
        + " intensity \(augmentation.intensity), seed \(augmentation.seed)"
    training["cohort.path"] = (manifest.path as NSString).lastPathComponent
    training["cohort.sha256"] = manifest.sha256
    training["cohort.cases"] = "\(manifest.cases.count)"
    training["features"] = "standardized per channel; folded into head.0"
    return BundleMetadata(
      formatVersion: BundleMetadata.currentVersion, name: configuration.name,
      demoLabel: configuration.demoLabel,
      network: BundleMetadata.Network(
        architecture: "resnet50", variant: config.variant, baseWidth: config.baseWidth,
        batchNormEpsilon: config.batchNormEpsilon),
      backbone: try configuration.backbone.bundleBackbone(bundlePath: configuration.bundlePath),
      input: configuration.input, classNames: ["other", "dystrophinopathy"],
      threshold: configuration.threshold, caseRule: configuration.caseRule,
      training: training)
  }

  /// The split and the figures of the run, for the bundle.
  static func record(_ outcome: TrainingOutcome, split: CohortSplit) -> [String: String] {
    func list(_ names: [String]) -> String {
      let data = (try? JSONSerialization.data(withJSONObject: names)) ?? Data("[]".utf8)
      return String(decoding: data, as: UTF8.self)
    }
    func fixed(_ value: Double?) -> String {
      value.map { String(format: "%.4f", $0) } ?? "none"
    }
    return [
      "split.source": split.source.rawValue, "split.seed": "\(split.seed)",
      "split.train": list(split.training), "split.validation": list(split.validation),
      "split.test": list(split.test),
      "epochs": "\(outcome.head.history.count)", "bestEpoch": "\(outcome.head.bestEpoch)",
      "stoppedEarly": "\(outcome.head.stoppedEarly)",
      "images.train": "\(outcome.imageCounts[.training] ?? 0)",
      "images.validation": "\(outcome.imageCounts[.validation] ?? 0)",
      "validation.loss": fixed(outcome.validationLoss),
      "validation.imageAccuracy": fixed(outcome.validationImageAccuracy),
      "validation.caseAccuracy": fixed(outcome.validationCaseAccuracy),
    ]
  }
}
