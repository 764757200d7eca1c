import Foundation
import MyoNeural

/// Trains a model bundle's head on a labelled cohort.
enum TrainCommand: Command {
  static let name = "train"
  static let summary = "train a model head on a labelled cohort"
  static let usage = """
    usage: myoscope train --cohort MANIFEST.csv -o BUNDLE [options]

    Splits the cohort by case, extracts frozen ResNet50 features of every
    training and validation slice (cached on disk), trains the head with
    binary cross-entropy and early stopping on the validation loss, and
    writes a bundle that records the cohort's hash, the split, the
    settings and the validation figures. Without options it follows the
    study: SGD, learning rate 1e-4, batch size 32.

    The manifest is a CSV with the columns case and diagnosis (positive:
    dystrophinopathy, DMD or BMD), optional subtype, split and path; case
    folders lie beside the manifest unless path names them.

    backbone:
      --backbone FILE      ResNet50 weights (safetensors, torchvision names),
                           linked from the bundle by path and SHA-256;
                           default: generated random-feature weights
      --backbone-seed N    seed of the generated weights (default 1)
      --width N            base width of the generated network (default 64;
                           smaller widths keep the topology, for tests)
      --variant V          v1.5 (torchvision, default) or v1 (Keras)
      --input-size N       network input in pixels (default 224)
      --normalization N    torch (default) or caffe
    split:
      --split S            auto (the manifest's split column when it is
                           filled, else random; default), manifest, or
                           three percentages such as 54/22/24
      --seed N             seed of the random split (default 1)
    head:
      --hidden LIST        hidden layer units, such as 256 or 256,64, or
                           none for one dense layer (default 256)
      --optimizer O        sgd (default) or adam
      --learning-rate X    step size (default 1e-4)
      --momentum X         SGD momentum (default 0)
      --weight-decay X     L2 weight decay (default 0)
      --batch-size N       images per update (default 32)
      --epochs N           epoch limit (default 200)
      --patience N         epochs without a lower validation loss before
                           stopping (default 10)
      --class-weights W    none (default), balanced, or NEG,POS
      --head-seed N        seed of the initial weights and batch order
                           (default 1)
    fine-tuning (off by default):
      --fine-tune N        after the head, train the last ResNet stage and
                           the head together by backpropagation for up to
                           N epochs; the bundle then embeds the backbone
      --fine-tune-rate X   step size of the joint training (default 1e-5)
      --fine-tune-patience N
                           epochs without a lower validation loss before
                           stopping (default 3)
    augmentation:
      --augment N          augmented copies per training image (default 0)
      --no-flip            never mirror a copy left to right
      --rotation DEG       largest rotation in degrees (default 5)
      --scale S            largest relative scale change (default 0.05)
      --intensity I        largest contrast and brightness change
                           (default 0.1)
    output:
      --cache DIR          feature cache folder (default
                           $XDG_CACHE_HOME/myoscope/features, else
                           ~/.cache/myoscope/features)
      --no-cache           compute every feature
      --name NAME          bundle name (default: the bundle file's name)
      --demo-label TEXT    mark the bundle as a demonstration model
      --threshold T        case probability for a positive call (0.5)
      --case-rule R        mean (default), max or mean-logit
      --threads N          BLAS threads (default OPENBLAS_NUM_THREADS, else
                           every core)
      --quiet              no per-epoch lines
    """

  static func run(_ arguments: inout Arguments) throws -> Int32 {
    guard let cohort = try arguments.option("--cohort") else {
      throw UsageError.missingArgument("--cohort MANIFEST.csv", command: name)
    }
    guard let output = try arguments.option("-o", "--output") else {
      throw UsageError.missingArgument("-o BUNDLE", command: name)
    }
    let backbone = try parseBackbone(&arguments)
    var configuration = TrainingConfiguration(
      manifestPath: cohort, bundlePath: output, backbone: backbone)
    configuration.input = try parseInput(&arguments)
    configuration.split = try parseSplit(&arguments)
    configuration.head = try parseHead(&arguments)
    configuration.augmentation = try parseAugmentation(&arguments)
    configuration.augmentation.seed = configuration.head.seed
    let fineTuneEpochs = try arguments.integer("--fine-tune", default: 0, range: 0...10_000)
    var fineTune = FineTuneOptions()
    fineTune.learningRate = try number(&arguments, "--fine-tune-rate", default: 1e-5)
    fineTune.patience = try arguments.integer("--fine-tune-patience", default: 3, range: 1...10_000)
    if fineTuneEpochs > 0 {
      fineTune.epochs = fineTuneEpochs
      configuration.fineTune = fineTune
    }

    let noCache = arguments.flag("--no-cache")
    let cache = try arguments.option("--cache") ?? defaultCacheFolder
    configuration.cacheFolder = noCache ? nil : cache
    configuration.name =
      try arguments.option("--name")
      ?? ((output as NSString).lastPathComponent as NSString).deletingPathExtension
    configuration.demoLabel = try arguments.option("--demo-label")
    if let text = try arguments.option("--threshold") {
      guard let value = Double(text), value > 0, value < 1 else {
        throw UsageError.invalidValue(
          text, option: "--threshold", expected: "a probability between 0 and 1")
      }
      configuration.threshold = value
    }
    if let text = try arguments.option("--case-rule") {
      let rules = ["mean": BundleMetadata.CaseRule.mean, "max": .max, "mean-logit": .meanLogit]
      guard let rule = rules[text] else {
        throw UsageError.invalidValue(text, option: "--case-rule", expected: "mean, max or mean-logit")
      }
      configuration.caseRule = rule
    }
    let quiet = arguments.flag("--quiet")
    let threads = try BenchCommand.threadCount(try arguments.option("--threads"))
    let extra = try arguments.positionals()
    if let first = extra.first {
      throw UsageError.unexpectedArgument(first, command: name)
    }
    BLASKernel.configureThreads(threads)

    let start = Date()
    let outcome = try TrainingPipeline.run(
      configuration,
      log: { line in standardError("train: \(line)") },
      progress: { report in
        if !quiet { standardError(progressLine(report)) }
      })
    let seconds = Date().timeIntervalSince(start)
    var summary = "train: best epoch \(outcome.head.bestEpoch) of \(outcome.head.history.count)"
    if let loss = outcome.validationLoss, let images = outcome.validationImageAccuracy,
      let cases = outcome.validationCaseAccuracy
    {
      summary += String(
        format: "; validation loss %.4f, accuracy %.3f per image, %.3f per case",
        loss, images, cases)
    }
    summary += String(
      format: "; %d slices through the backbone, %d cache hits; %.1f s",
      outcome.computedSlices, outcome.cacheHits, seconds)
    standardError(summary)
    print(output)
    return ExitStatus.success
  }

  /// One epoch's line: a bar of the epochs run against the limit, then
  /// the training and validation figures; a star marks a new best.
  static func progressLine(_ report: EpochReport) -> String {
    let width = 20
    let filled = min(width, report.epoch * width / max(report.maxEpochs, 1))
    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
    let digits = String(report.maxEpochs).count
    let epoch = String(repeating: " ", count: max(0, digits - String(report.epoch).count))
      + String(report.epoch)
    var line = String(
      format: "epoch %@/%d [%@] loss %.4f acc %.3f", epoch, report.maxEpochs, bar,
      report.trainingLoss, report.trainingAccuracy)
    if let loss = report.validationLoss, let accuracy = report.validationAccuracy {
      line += String(format: " | val loss %.4f acc %.3f", loss, accuracy)
    }
    return line + (report.isBest ? " *" : "")
  }

  /// Writes one line to standard error.
  static func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }

  static var defaultCacheFolder: String {
    let environment = ProcessInfo.processInfo.environment
    if let base = environment["XDG_CACHE_HOME"], !base.isEmpty {
      return base + "/myoscope/features"
    }
    return NSHomeDirectory() + "/.cache/myoscope/features"
  }

  static func parseBackbone(_ arguments: inout Arguments) throws -> BackboneSource {
    var variant = ResNetVariant.v1_5
    if let text = try arguments.option("--variant") {
      guard let parsed = ResNetVariant(rawValue: text) else {
        throw UsageError.invalidValue(text, option: "--variant", expected: "v1.5 or v1")
      }
      variant = parsed
    }
    let width = try arguments.integer("--width", default: 64, range: 1...1024)
    let seed = try arguments.integer("--backbone-seed", default: 1, range: 0...Int.max)
    let config = ResNetConfig(variant: variant, baseWidth: width)
    if let file = try arguments.option("--backbone") {
      return .linked(path: file, config: config)
    }
    return .generated(seed: UInt64(seed), config: config)
  }

  static func parseInput(_ arguments: inout Arguments) throws -> BundleMetadata.Input {
    var input = BundleMetadata.Input.torch
    if let text = try arguments.option("--normalization") {
      switch text {
      case "torch": input = .torch
      case "caffe": input = .caffe
      default:
        throw UsageError.invalidValue(text, option: "--normalization", expected: "torch or caffe")
      }
    }
    input.size = try arguments.integer("--input-size", default: 224, range: 32...1024)
    return input
  }

  static func parseSplit(
    _ arguments: inout Arguments
  ) throws -> TrainingConfiguration.SplitChoice {
    let seed = UInt64(try arguments.integer("--seed", default: 1, range: 0...Int.max))
    let text = try arguments.option("--split") ?? "auto"
    switch text {
    case "auto": return .automatic(seed: seed)
    case "manifest": return .manifest
    default:
      let parts = text.split(separator: "/").compactMap { Double($0) }
      guard parts.count == 3, parts.allSatisfy({ $0 >= 0 }), parts.reduce(0, +) > 0 else {
        throw UsageError.invalidValue(
          text, option: "--split", expected: "auto, manifest or three percentages such as 54/22/24")
      }
      return .random(seed: seed, fractions: parts)
    }
  }

  static func parseHead(_ arguments: inout Arguments) throws -> HeadOptions {
    var head = HeadOptions()
    if let text = try arguments.option("--hidden") {
      if text == "none" || text == "0" {
        head.hiddenUnits = []
      } else {
        let units = text.split(separator: ",").map { Int($0) }
        guard !units.isEmpty, units.allSatisfy({ ($0 ?? 0) > 0 }) else {
          throw UsageError.invalidValue(
            text, option: "--hidden", expected: "positive integers such as 256,64, or none")
        }
        head.hiddenUnits = units.compactMap { $0 }
      }
    }
    if let text = try arguments.option("--optimizer") {
      guard let optimizer = HeadOptions.Optimizer(rawValue: text) else {
        throw UsageError.invalidValue(text, option: "--optimizer", expected: "sgd or adam")
      }
      head.optimizer = optimizer
    }
    head.learningRate = try number(&arguments, "--learning-rate", default: head.learningRate)
    head.momentum = try number(&arguments, "--momentum", default: 0)
    head.weightDecay = try number(&arguments, "--weight-decay", default: 0)
    head.batchSize = try arguments.integer("--batch-size", default: 32, range: 1...65_536)
    head.maxEpochs = try arguments.integer("--epochs", default: 200, range: 1...100_000)
    head.patience = try arguments.integer("--patience", default: 10, range: 1...100_000)
    head.seed = UInt64(try arguments.integer("--head-seed", default: 1, range: 0...Int.max))
    if let text = try arguments.option("--class-weights") {
      switch text {
      case "none": head.classWeights = .none
      case "balanced": head.classWeights = .balanced
      default:
        let parts = text.split(separator: ",").compactMap { Double($0) }
        guard parts.count == 2, parts.allSatisfy({ $0 > 0 && $0.isFinite }) else {
          throw UsageError.invalidValue(
            text, option: "--class-weights", expected: "none, balanced or NEG,POS such as 1,2.5")
        }
        head.classWeights = .fixed(negative: parts[0], positive: parts[1])
      }
    }
    return head
  }

  static func parseAugmentation(_ arguments: inout Arguments) throws -> Augmentation {
    var augmentation = Augmentation()
    augmentation.copies = try arguments.integer("--augment", default: 0, range: 0...100)
    augmentation.flip = !arguments.flag("--no-flip")
    augmentation.rotationDegrees = try number(&arguments, "--rotation", default: 5)
    augmentation.scale = try number(&arguments, "--scale", default: 0.05)
    augmentation.intensity = try number(&arguments, "--intensity", default: 0.1)
    return augmentation
  }

  static func number(
    _ arguments: inout Arguments, _ option: String, default fallback: Double
  ) throws -> Double {
    guard let text = try arguments.option(option) else { return fallback }
    guard let value = Double(text), value.isFinite, value >= 0 else {
      throw UsageError.invalidValue(text, option: option, expected: "a number of 0 or more")
    }
    return value
  }
}
