import Foundation
import MyoStudy

/// Computes the reader-study statistics from a long-format ratings file.
enum StatsCommand: Command {
  static let name = "stats"
  static let summary = "reader-study statistics from a long-format CSV"
  static let usage = """
    usage: myoscope stats RATINGS.csv [--threshold T] [--by case|image]
                          [--format text|json|csv] [--bootstrap N]
                          [--seed N] [--roc FILE.png]

    Reads one row per reader and case (or image) with the columns reader,
    case, truth (1 or 0) and score; optional columns are modality
    (unaided, aided or model; rows of reader 'model' default to model),
    call (1 or 0), subtype (DMD, BMD or other) and image. A row with an
    empty score is a skipped read.

      --threshold T   call a row positive when score >= T (needed when
                      there is no call column)
      --by UNIT       case (default) or image; image-level intervals come
                      from a cluster bootstrap over cases
      --format F      text (default), json or csv
      --bootstrap N   bootstrap replicates at image level (default 2000)
      --seed N        bootstrap seed (default 1)
      --roc FILE      also write the ROC figure (model curve and each
                      reader's operating point) as a PNG
    """

  static func run(_ arguments: inout Arguments) throws -> Int32 {
    let options = try ReportOptions.parse(&arguments)
    var threshold: Double?
    if let text = try arguments.option("--threshold") {
      guard let value = Double(text), value.isFinite else {
        throw UsageError.invalidValue(
          text, option: "--threshold", expected: "a number")
      }
      threshold = value
    }
    let roc = try arguments.option("--roc")
    let paths = try arguments.positionals()
    guard let path = paths.first else {
      throw UsageError.missingArgument("a ratings file", command: name)
    }
    if paths.count > 1 {
      throw UsageError.unexpectedArgument(paths[1], command: name)
    }
    let text = try CSVFile.text(path)
    let ratings = try RatingsFile.parse(text, path: path, threshold: threshold)
    let analysis = try StudyAnalysis.compute(
      ratings: ratings, unit: options.unit,
      bootstrapReplicates: options.replicates, bootstrapSeed: options.seed)
    print(ReportFormatter.render(analysis, format: options.format), terminator: "")
    if let roc {
      try ROCFigure.write(analysis, to: roc)
    }
    return ExitStatus.success
  }
}

/// The options that `stats` and `study report` share.
struct ReportOptions {
  var unit: AnalysisUnit = .case
  var format: ReportFormat = .text
  var replicates = 2000
  var seed: UInt64 = 1

  static func parse(_ arguments: inout Arguments) throws -> ReportOptions {
    var options = ReportOptions()
    if let text = try arguments.option("--by") {
      guard let unit = AnalysisUnit(rawValue: text) else {
        throw UsageError.invalidValue(text, option: "--by", expected: "case or image")
      }
      options.unit = unit
    }
    if let text = try arguments.option("--format") {
      guard let format = ReportFormat(rawValue: text) else {
        throw UsageError.invalidValue(
          text, option: "--format", expected: "text, json or csv")
      }
      options.format = format
    }
    options.replicates = try arguments.integer(
      "--bootstrap", default: 2000, range: 1...1_000_000)
    options.seed = UInt64(
      try arguments.integer("--seed", default: 1, range: 0...Int.max))
    return options
  }
}

/// Writes the ROC figure for `stats` and `study report`.
enum ROCFigure {
  static func write(_ analysis: StudyAnalysis, to path: String) throws {
    let bytes = try ROCPlot.png(analysis)
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
      throw StudyError.fileFailed(
        path: path, operation: "writing the ROC figure",
        reason: String(cString: strerror(errno)))
    }
    FileHandle.standardError.write(Data("wrote \(path)\n".utf8))
  }
}
