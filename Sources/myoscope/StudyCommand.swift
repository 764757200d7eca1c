import Foundation
import MyoImaging
import MyoNeural
import MyoStudy

/// Sets up and analyses reader studies: create, predict, report, export
/// and verify.
enum StudyCommand: Command {
  static let name = "study"
  static let summary = "set up, check and report a blinded reader study"
  static let usage = """
    usage: myoscope study create STUDY.db --cases DIR --truth truth.csv
                                [--seed N] [--scale 5|100] [--washout DAYS]
                                [--group NAME] [--teaching | --aided]
           myoscope study predict STUDY.db [--model BUNDLE]
           myoscope study report STUDY.db [--by case|image]
                                [--format text|json|csv] [--roc FILE.png]
                                [--bootstrap N] [--seed N] [--page]
           myoscope study export STUDY.db
           myoscope study verify STUDY.db

    create   writes the reading package (de-identified copies of the images
             under pseudonyms, STUDY.images/), the study store STUDY.db
             (no truth), the coordinator file STUDY.coordinator.db (key and
             truth, mode 0600, or 0640 for --group) and the folder
             STUDY.reads/ where each reader's store is created.
             truth.csv has the columns case (the case folder name) and
             truth (1 or 0) with an optional subtype (DMD, BMD, ...), or
             case and diagnosis. --scale sets the confidence scale (5,
             the default, or 100); --washout the days between two
             sessions of one reader (default 28); --teaching makes a
             teaching set whose answers are shown after each read;
             --aided adds the aided arm: after each unaided answer is
             locked, the reader sees the model output and answers again.
             A teaching set copies the label maps, labels.csv and the
             grades.csv (columns muscle, side, grade) of each case.
    predict  runs the model on every case and stores the probabilities
             with the bundle's hash in the coordinator file; for an aided
             study or a teaching set also the probabilities and class
             activation maps that the reading screen shows, in STUDY.db.
    report   joins the truth with every reader's reads and the model and
             prints the statistics; --roc writes the ROC figure as PNG;
             --page shows the text report as a scrolling page instead.
    export   prints the long format, one row per reader and case.
    verify   checks file modes, the reads' hash chains and that no
             original name survives in the reading package; exits 1 on
             any problem.

    Run report, export, predict and verify as the study coordinator.
    """

  static func run(_ arguments: inout Arguments) throws -> Int32 {
    var all = subcommandArguments()
    guard !all.isEmpty else {
      throw UsageError.missingArgument("a subcommand (create, predict, report, export, verify)", command: name)
    }
    let sub = all.removeFirst()
    var rest = Arguments(command: "study \(sub)", all)
    switch sub {
    case "create": return try create(&rest)
    case "predict": return try predict(&rest)
    case "report": return try report(&rest)
    case "export": return try export(&rest)
    case "verify": return try verify(&rest)
    default: throw UsageError.unknownCommand("study \(sub)")
    }
  }

  static func studyPath(_ arguments: inout Arguments) throws -> String {
    let paths = try arguments.positionals()
    guard let path = paths.first else {
      throw UsageError.missingArgument("a study file (STUDY.db)", command: arguments.command)
    }
    if paths.count > 1 {
      throw UsageError.unexpectedArgument(paths[1], command: arguments.command)
    }
    return path
  }

  static func create(_ arguments: inout Arguments) throws -> Int32 {
    guard let cases = try arguments.option("--cases") else {
      throw UsageError.missingArgument("--cases DIR", command: arguments.command)
    }
    guard let truth = try arguments.option("--truth") else {
      throw UsageError.missingArgument("--truth truth.csv", command: arguments.command)
    }
    let seed = try arguments.integer("--seed", default: 1, range: 0...Int.max)
    let scale = try arguments.integer("--scale", default: 5, range: 5...100)
    guard scale == 5 || scale == 100 else {
      throw UsageError.invalidValue("\(scale)", option: "--scale", expected: "5 or 100")
    }
    let washout = try arguments.integer("--washout", default: 28, range: 0...3650)
    let group = try arguments.option("--group")
    let teaching = arguments.flag("--teaching")
    let aided = arguments.flag("--aided")
    if teaching && aided {
      throw UsageError.invalidValue(
        "--aided", option: "--teaching",
        expected: "one of them: a teaching set shows the model after every answer already")
    }
    let path = try studyPath(&arguments)
    let summary = try StudyCreator.create(
      StudyCreator.Options(
        studyPath: path, casesPath: cases, truthPath: truth,
        settings: StudySettings(
          seed: UInt64(seed), confidenceScale: scale, washoutDays: washout,
          teaching: teaching, aided: aided),
        group: group))
    print("created \(path): \(summary.cases) cases, \(summary.slices) slices")
    print("  reading package  \(summary.layout.imageFolder)")
    print("  coordinator file \(summary.layout.coordinatorStore) (keep it private)")
    print("  reader stores    \(summary.layout.readsFolder)")
    let sources = [
      "cases": URL(fileURLWithPath: cases).standardizedFileURL.path,
      "truth": URL(fileURLWithPath: truth).standardizedFileURL.path,
    ]
    for problem in StudyVerifier.sourceProblems(sources) { warn(problem) }
    return ExitStatus.success
  }

  static func predict(_ arguments: inout Arguments) throws -> Int32 {
    let bundle = try ModelBundlePath.resolve(arguments.option("--model"))
    let path = try studyPath(&arguments)
    let settings = try study(path)
    // The model output goes into the study store too when readers are
    // meant to see it: after each answer of a teaching set, and after the
    // unaided answer of an aided study.
    let shown = settings.teaching || settings.aided
    let study = try StudyStore(path: path, writable: shown)
    let coordinator = try CoordinatorStore(layout: study.layout, writable: true)
    let classifier = try Classifier.load(bundle: bundle)
    var predictions: [StoredPrediction] = []
    var outputs: [ModelOutput] = []
    var cache: [String: [ScalarImage]] = [:]
    let cases = try study.pseudonyms()
    for (index, pseudonym) in cases.enumerated() {
      var images: [ScalarImage] = []
      for slice in try study.slices(of: pseudonym) {
        let file = study.path(of: slice)
        if cache[file] == nil { cache = [file: try ImageFile.readAll(path: file)] }
        if let frames = cache[file], slice.frame < frames.count { images.append(frames[slice.frame]) }
      }
      let result = try classifier.classify(images)
      predictions.append(
        StoredPrediction(
          pseudonym: pseudonym, slice: nil, probability: result.probability,
          bundleHash: classifier.bundleHash))
      outputs.append(
        ModelOutput(
          pseudonym: pseudonym, slice: nil, probability: result.probability,
          bundleHash: classifier.bundleHash))
      for (number, slice) in result.slices.enumerated() {
        predictions.append(
          StoredPrediction(
            pseudonym: pseudonym, slice: number, probability: slice.probability,
            bundleHash: classifier.bundleHash))
        outputs.append(
          ModelOutput(
            pseudonym: pseudonym, slice: number, probability: slice.probability,
            bundleHash: classifier.bundleHash, cam: slice.cam))
      }
      // On a terminal the count rewrites one line; in a log, a line
      // every tenth case and at the end.
      if isatty(STDERR_FILENO) == 1 {
        FileHandle.standardError.write(Data("\rpredicted \(index + 1)/\(cases.count)".utf8))
      } else if (index + 1) % 10 == 0 || index + 1 == cases.count {
        FileHandle.standardError.write(Data("predicted \(index + 1)/\(cases.count)\n".utf8))
      }
    }
    if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\n".utf8)) }
    let label = ModelBundleLabel(
      hash: classifier.bundleHash, name: classifier.bundleName,
      demoLabel: classifier.demoLabel)
    try coordinator.store(predictions, bundleHash: classifier.bundleHash)
    try coordinator.recordBundle(label)
    if shown {
      try study.storeModelOutputs(outputs)
      try study.recordBundle(label)
    }
    if study.settings.teaching {
      for p in predictions where p.slice == nil {
        try study.database.query(
          "UPDATE teaching_answers SET probability = ?, bundle_hash = ? WHERE pseudonym = ?",
          [.real(p.probability), .text(p.bundleHash), .text(p.pseudonym)])
      }
    }
    print(
      "stored \(cases.count) case predictions of bundle \(label.text), "
        + "SHA-256 \(classifier.bundleHash)")
    return ExitStatus.success
  }

  /// Reads only the settings, to learn whether a study is a teaching set.
  static func study(_ path: String) throws -> StudySettings {
    try StudyStore(path: path).settings
  }

  static func report(_ arguments: inout Arguments) throws -> Int32 {
    let options = try ReportOptions.parse(&arguments)
    let roc = try arguments.option("--roc")
    let page = arguments.flag("--page")
    let path = try studyPath(&arguments)
    let data = try StudyData.load(path: path)
    var analysis = try StudyAnalysis.compute(
      ratings: data.ratings(), unit: options.unit,
      bootstrapReplicates: options.replicates, bootstrapSeed: options.seed)
    analysis.modelLabel = data.modelLabel?.text
    analysis.modelIsDemo = data.modelLabel?.demoLabel != nil
    let broken = try warnAboutStores(data, path: path)
    var output = ReportFormatter.render(analysis, format: options.format)
    if options.format == .text {
      output += "\n" + ROCPlot.text(analysis)
    }
    if let roc {
      try ROCFigure.write(analysis, to: roc)
    }
    if page {
      let name = (path as NSString).lastPathComponent
      let status = try ReportPage(text: output).run(title: "myoscope study report \(name)")
      return broken ? ExitStatus.failure : status
    }
    print(output, terminator: "")
    return broken ? ExitStatus.failure : ExitStatus.success
  }

  static func export(_ arguments: inout Arguments) throws -> Int32 {
    let path = try studyPath(&arguments)
    let data = try StudyData.load(path: path)
    let broken = try warnAboutStores(data, path: path)
    print(StudyExporter.csv(data), terminator: "")
    return broken ? ExitStatus.failure : ExitStatus.success
  }

  /// Runs the reader-store checks of `study verify` against the heads it
  /// recorded, without recording new ones. Prints each problem as a
  /// warning and returns whether there was any.
  static func warnAboutStores(_ data: StudyData, path: String) throws -> Bool {
    let heads = try CoordinatorStore(layout: data.study.layout).verifiedHeads()
    let problems = try StudyVerifier.readerProblems(data, heads: heads).problems
    for problem in problems { warn(problem) }
    if !problems.isEmpty {
      warn(
        "the reads above may have been changed outside myoscope, and the"
          + " results use them as found; run 'myoscope study verify \(path)'")
    }
    return !problems.isEmpty
  }

  static func verify(_ arguments: inout Arguments) throws -> Int32 {
    let path = try studyPath(&arguments)
    let report = try StudyVerifier.verify(path: path)
    for line in report.checked { print("checked: \(line)") }
    for problem in report.problems { print("PROBLEM: \(terminalSafeLine(problem))") }
    let count = report.problems.count
    print(count == 0 ? "ok: no problems found" : "\(count) problem\(count == 1 ? "" : "s") found")
    return report.problems.isEmpty ? ExitStatus.success : ExitStatus.failure
  }
}

/// Returns the words after `study` on the command line. `Arguments` hides its
/// list, and each subcommand has its own options, so the subcommand's
/// arguments are taken from the command line itself.
func subcommandArguments() -> [String] {
  let words = Array(CommandLine.arguments.dropFirst())
  guard let index = words.firstIndex(of: StudyCommand.name) else { return [] }
  return Array(words[(index + 1)...])
}
