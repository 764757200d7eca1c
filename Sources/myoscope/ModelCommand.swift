import Foundation
import MyoNeural

/// Shows, imports and makes model bundles.
enum ModelCommand: Command {
  static let name = "model"
  static let summary = "show or import a model bundle"
  static let usage = """
    usage: myoscope model info [BUNDLE]
           myoscope model import --torch FILE | --keras FILE -o BUNDLE
                                 [--name TEXT] [--size N] [--threshold P]
                                 [--case-rule mean|max|meanLogit]
                                 [--variant v1.5|v1] [--link]
           myoscope model demo -o BUNDLE [--seed N] [--cases N] [--cohort DIR]

    info prints a bundle's metadata, its SHA-256 and the BLAS kernel;
    BUNDLE defaults to the shipped demo bundle (or MYOSCOPE_MODEL).

    import reads a ResNet50 from a torchvision or timm safetensors file
    (v1.5, ImageNet normalization) or a Keras HDF5 file (v1, "caffe"
    preprocessing), checks every tensor, and writes a bundle. A head with
    1 or 2 outputs is kept; an ImageNet head is left out. --link stores
    the safetensors backbone by relative path and SHA-256 instead of
    copying it.

    demo makes the demonstration bundle: a backbone generated from --seed
    (default 1) and a logistic head trained on synthetic data, either the
    phantom cohort in DIR (as 'myoscope phantom' writes it; its cases.csv
    gives the labels and the training split) or, without --cohort, --cases
    (default 120) built-in synthetic cases. It is not for diagnosis.
    """

  static func run(_ arguments: inout Arguments) throws -> Int32 {
    // The action is the first word; `flag` removes it wherever it is.
    if arguments.flag("info") { return try info(&arguments) }
    if arguments.flag("import") { return try importModel(&arguments) }
    if arguments.flag("demo") { return try demo(&arguments) }
    throw UsageError.missingArgument(
      "one of 'info', 'import' and 'demo'", command: name)
  }

  static func info(_ arguments: inout Arguments) throws -> Int32 {
    let rest = try arguments.positionals()
    let path = try ModelBundlePath.resolve(rest.first)
    BLASKernel.configureThreads()
    let classifier = try Classifier.load(bundle: path)
    for line in infoLines(classifier) { print(line) }
    return ExitStatus.success
  }

  /// Formats the lines that `model info` prints.
  static func infoLines(_ classifier: Classifier) -> [String] {
    let meta = classifier.metadata
    var lines: [String] = []
    if let label = classifier.demoLabel { lines.append("DEMO MODEL: \(label)") }
    lines.append("bundle:       \(classifier.path)")
    lines.append("name:         \(meta.name)")
    lines.append("format:       \(meta.formatVersion)")
    lines.append("sha256:       \(classifier.bundleHash)")
    let network = meta.network
    lines.append(
      "network:      \(network.architecture) \(network.variant.rawValue),"
        + " base width \(network.baseWidth),"
        + " batch-norm epsilon \(network.batchNormEpsilon)")
    var backbone = "backbone:     \(meta.backbone.kind)"
    if let generator = meta.backbone.generator, let seed = meta.backbone.seed {
      backbone += ", generator \(generator), seed \(seed)"
    }
    if let path = meta.backbone.path { backbone += ", \(path)" }
    if let hash = meta.backbone.sha256 { backbone += ", sha256 \(hash)" }
    if let origin = meta.backbone.origin { backbone += ", from \(origin)" }
    lines.append(backbone)
    let head = classifier.headShapes.map { "\($0.inputs)->\($0.outputs)" }
      .joined(separator: ", ")
    lines.append(
      "head:         dense \(head)\(classifier.headShapes.count > 1 ? " (ReLU between)" : "")"
    )
    let cam =
      classifier.headShapes.count == 1
      ? "exact CAM" : "Grad-CAM through the head"
    lines.append("cam:          \(cam)")
    let input = meta.input
    lines.append(
      "input:        \(input.size)x\(input.size) \(input.channelOrder), mode \(input.mode),"
        + " scale \(input.scale), mean \(input.mean), std \(input.std)")
    lines.append("classes:      \(meta.classNames.joined(separator: ", "))")
    lines.append("threshold:    \(meta.threshold)")
    lines.append(
      "case rule:    \(meta.caseRule.rawValue) of slice probabilities")
    for key in meta.training.keys.sorted() {
      lines.append("training:     \(key): \(meta.training[key]!)")
    }
    lines.append("convolutions: \(ConvolutionKernels.preferred.summary)")
    lines.append("BLAS:         \(BLASKernel.summary)")
    return lines
  }

  static func importModel(_ arguments: inout Arguments) throws -> Int32 {
    let torch = try arguments.option("--torch")
    let keras = try arguments.option("--keras")
    let output = try arguments.option("-o", "--output")
    var options = ModelImporter.Options()
    options.name = try arguments.option("--name")
    options.size = try arguments.integer(
      "--size", default: 224, range: 32...1024)
    if let text = try arguments.option("--threshold") {
      guard let value = Double(text), value > 0 && value < 1 else {
        throw UsageError.invalidValue(
          text, option: "--threshold", expected: "a probability between 0 and 1"
        )
      }
      options.threshold = value
    }
    if let text = try arguments.option("--case-rule") {
      guard let rule = BundleMetadata.CaseRule(rawValue: text) else {
        throw UsageError.invalidValue(
          text, option: "--case-rule", expected: "mean, max or meanLogit")
      }
      options.caseRule = rule
    }
    if let text = try arguments.option("--variant") {
      guard let variant = ResNetVariant(rawValue: text) else {
        throw UsageError.invalidValue(
          text, option: "--variant", expected: "v1.5 or v1")
      }
      options.variant = variant
    }
    options.link = arguments.flag("--link")
    let rest = try arguments.positionals()
    if let extra = rest.first {
      throw UsageError.unexpectedArgument(extra, command: name)
    }
    guard let output else {
      throw UsageError.missingArgument("-o BUNDLE", command: name)
    }

    let result: ModelImporter.Result
    switch (torch, keras) {
    case (let path?, nil):
      result = try ModelImporter.importTorch(path, to: output, options: options)
    case (nil, let path?):
      guard !options.link else {
        throw UsageError.invalidValue(
          "--link", option: "--keras",
          expected: "no --link (Keras weights are converted)")
      }
      result = try ModelImporter.importKeras(path, to: output, options: options)
    default:
      throw UsageError.missingArgument(
        "exactly one of --torch FILE and --keras FILE", command: name)
    }
    for note in result.notes { print("note: \(note)") }
    let meta = result.bundle.metadata
    let layers = result.bundle.head.count
    let head =
      layers == 0
      ? "no head" : "a head of \(layers) dense layer\(layers == 1 ? "" : "s")"
    print(
      "wrote \(output): resnet50 \(meta.network.variant.rawValue), \(head),"
        + " backbone \(meta.backbone.kind)")
    return ExitStatus.success
  }

  static func demo(_ arguments: inout Arguments) throws -> Int32 {
    let output = try arguments.option("-o", "--output")
    let seed = try arguments.integer("--seed", default: 1, range: 0...Int.max)
    let cases = try arguments.integer(
      "--cases", default: 120, range: 10...10_000)
    let cohort = try arguments.option("--cohort")
    let rest = try arguments.positionals()
    if let extra = rest.first {
      throw UsageError.unexpectedArgument(extra, command: name)
    }
    guard let output else {
      throw UsageError.missingArgument("-o BUNDLE", command: name)
    }
    BLASKernel.configureThreads()
    let summary = try DemoTrainer.makeBundle(
      at: output, seed: UInt64(seed), cases: cases, cohort: cohort
    ) { done, total in
      FileHandle.standardError.write(
        Data("\rmodel demo: image \(done)/\(total)".utf8))
    }
    FileHandle.standardError.write(Data("\n".utf8))
    print("wrote \(output): \(summary)")
    return ExitStatus.success
  }
}
