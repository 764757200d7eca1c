import Foundation
import MyoNeural
import MyoStudy

/// Measures a trained bundle on held-out cases with the study's table.
enum EvaluateCommand: Command {
  static let name = "evaluate"
  static let summary = "measure a bundle on held-out cases of a cohort"
  static let usage = """
    usage: myoscope evaluate --cohort MANIFEST.csv --model BUNDLE
                             [--split test|validation|train|all]
                             [--roc FILE.png] [--montage FILE.png]
                             [--format text|json|csv] [--bootstrap N]
                             [--seed N]

    Classifies the cases of one split (by default the test cases that the
    bundle recorded when it was trained, else those of the manifest's
    split column; 'all' takes every case) and prints the study's table per
    case and per image: the 2x2 table, sensitivity, specificity, PPV, NPV
    and accuracy with Wilson and Clopper-Pearson intervals, sensitivity
    for DMD and BMD separately, LR+ and LR- with log-method intervals, F1
    and the AUC with its DeLong interval. Images of one case are not
    independent, so the per-image intervals come from a cluster bootstrap
    over cases.

      --roc FILE       ROC figure (default roc.png): case level solid
                       blue, image level dashed orange, the operating
                       point as a black square, each curve's AUC in
                       the legend
      --montage FILE   CAM montage (default cam-montage.png): top row
                       correct calls (green frames: true positives, then
                       true negatives), bottom row errors (red frames:
                       false negatives, then false positives), each
                       tile captioned with its case and probability
      --format F       text (default), json or csv
      --bootstrap N    bootstrap replicates at image level (default 2000)
      --seed N         bootstrap seed (default 1)
      --threads N      BLAS threads (default OPENBLAS_NUM_THREADS, else
                       every core)
      --quiet          no per-case progress lines
    """

  static func run(_ arguments: inout Arguments) throws -> Int32 {
    guard let cohort = try arguments.option("--cohort") else {
      throw UsageError.missingArgument("--cohort MANIFEST.csv", command: name)
    }
    guard let model = try arguments.option("--model") else {
      throw UsageError.missingArgument("--model BUNDLE", command: name)
    }
    var selection = ModelEvaluation.Selection.part(.test)
    if let text = try arguments.option("--split") {
      if text == "all" {
        selection = .all
      } else if let part = SplitPart(parsing: text) {
        selection = .part(part)
      } else {
        throw UsageError.invalidValue(
          text, option: "--split", expected: "test, validation, train or all")
      }
    }
    let rocPath = try arguments.option("--roc") ?? "roc.png"
    let montagePath = try arguments.option("--montage") ?? "cam-montage.png"
    let options = try ReportOptions.parse(&arguments)
    let quiet = arguments.flag("--quiet")
    let threads = try BenchCommand.threadCount(try arguments.option("--threads"))
    let extra = try arguments.positionals()
    if let first = extra.first {
      throw UsageError.unexpectedArgument(first, command: name)
    }
    BLASKernel.configureThreads(threads)

    let evaluation = try ModelEvaluation.run(
      manifestPath: cohort, bundlePath: model, selection: selection,
      bootstrapReplicates: options.replicates, bootstrapSeed: options.seed,
      log: { line in if !quiet { TrainCommand.standardError("evaluate: \(line)") } })
    for warning in evaluation.warnings {
      TrainCommand.standardError("evaluate: warning: \(warning)")
    }
    try write(try evaluation.rocPNG(), to: rocPath)
    try write(try evaluation.montage.png(), to: montagePath)

    let images = evaluation.cases.reduce(0) { $0 + $1.slices.count }
    switch options.format {
    case .text:
      var header = "Model \(model) on \(evaluation.cases.count) cases (\(images) images)"
      header += " of \(cohort), \(selectionText(selection, evaluation.selectionSource));"
      header += " threshold \(evaluation.threshold).\n"
      print(header)
      print("== Per case\n")
      print(ReportFormatter.render(evaluation.caseAnalysis, format: .text), terminator: "")
      print("\n== Per image\n")
      print(ReportFormatter.render(evaluation.imageAnalysis, format: .text), terminator: "")
      print("\nFigures: \(rocPath), \(montagePath)")
    case .json:
      let caseJSON = ReportFormatter.render(evaluation.caseAnalysis, format: .json)
      let imageJSON = ReportFormatter.render(evaluation.imageAnalysis, format: .json)
      print("{\"case\": \(caseJSON.trimmingCharacters(in: .whitespacesAndNewlines)),")
      print(" \"image\": \(imageJSON.trimmingCharacters(in: .whitespacesAndNewlines))}")
    case .csv:
      print(ReportFormatter.render(evaluation.caseAnalysis, format: .csv), terminator: "")
      let imageCSV = ReportFormatter.render(evaluation.imageAnalysis, format: .csv)
      // The header row is the same for both units, so print it once.
      print(imageCSV.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
        .joined(separator: "\n"), terminator: "")
    }
    return ExitStatus.success
  }

  static func selectionText(_ selection: ModelEvaluation.Selection, _ source: String) -> String {
    switch selection {
    case .all: return "every case"
    case .part(let part):
      let origin = source == "bundle" ? "as recorded in the bundle" : "from the manifest"
      return "\(part.rawValue) split \(origin)"
    }
  }

  static func write(_ bytes: [UInt8], to path: String) throws {
    do {
      try Data(bytes).write(to: URL(fileURLWithPath: path))
    } catch {
      throw TrainingError.outputFailed(path: path, reason: error.localizedDescription)
    }
  }
}
