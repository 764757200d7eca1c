import Foundation
import MyoImaging
import MyoPhantom

/// Generates a cohort of synthetic thigh MRI cases with known truth.
enum PhantomCommand: Command {
  static let name = "phantom"
  static let summary = "generate synthetic thigh MRI cases with known grades"
  static let usage = """
    usage: myoscope phantom --out DIR [--cases N] [--seed S]
                            [--format dicom|png|nifti|mixed] [--slices N]
                            [--size PIXELS] [--dystrophinopathy FRACTION]
                            [--only ID,ID...]

    Writes N synthetic axial mid-thigh T1-weighted spin-echo cases (TR 450
    ms, TE 12 ms) of both thighs into DIR, one folder per case, with a
    label map per slice, labels.csv, grades.csv and the manifest
    DIR/cases.csv. The same seed gives the same bytes.

      --out DIR                 output folder, created when missing
      --cases N                 number of cases (default 24)
      --seed S                  seed, a non-negative integer (default 1)
      --format F                dicom, png, nifti, or mixed to rotate the
                                three (default mixed)
      --slices N                slices per case, 7 mm apart (default 6)
      --size PIXELS             image width (default 512); the height is
                                5/8 of it, a rectangular field of view
      --dystrophinopathy F      fraction of DMD and BMD cases, 0 to 1
                                (default 0.34, as in the study)
      --only ID,ID...           write only these cases of the cohort, such
                                as PH0004; the manifest still lists all
    """

  static func run(_ arguments: inout Arguments) throws -> Int32 {
    guard let output = try arguments.option("--out") else {
      throw UsageError.missingArgument("--out DIR", command: name)
    }
    let count = try arguments.integer("--cases", default: 24, range: 1...10_000)
    let slices = try arguments.integer("--slices", default: 6, range: 1...64)
    let size = try arguments.integer("--size", default: 512, range: 64...1024)
    let seedText = try arguments.option("--seed") ?? "1"
    guard let seed = UInt64(seedText) else {
      throw UsageError.invalidValue(
        seedText, option: "--seed", expected: "a non-negative integer")
    }
    let formatText = try arguments.option("--format") ?? "mixed"
    let format: PhantomFormat?
    if formatText == "mixed" {
      format = nil
    } else if let chosen = PhantomFormat(rawValue: formatText) {
      format = chosen
    } else {
      throw UsageError.invalidValue(
        formatText, option: "--format", expected: "dicom, png, nifti or mixed")
    }
    var generator = CohortGenerator(caseCount: count, seed: seed, format: format)
    if let text = try arguments.option("--dystrophinopathy") {
      guard let fraction = Double(text), (0...1).contains(fraction) else {
        throw UsageError.invalidValue(
          text, option: "--dystrophinopathy", expected: "a number from 0 to 1")
      }
      generator.dystrophinopathyFraction = fraction
    }
    let only = try arguments.option("--only").map {
      Set($0.split(separator: ",").map(String.init))
    }
    let extra = try arguments.positionals()
    if let first = extra.first {
      throw UsageError.unexpectedArgument(first, command: name)
    }

    let cases = generator.cases()
    if let only, let unknown = only.first(where: { id in
      !cases.contains { $0.id == id }
    }) {
      throw UsageError.invalidValue(
        unknown, option: "--only",
        expected: "case ids from PH0001 to \(cases.last?.id ?? "PH0001")")
    }
    let writer = CaseWriter(root: output, sliceCount: slices, width: size)
    try writer.prepareRoot()
    var written = 0
    for item in cases where only?.contains(item.id) ?? true {
      try writer.write(item)
      written += 1
      FileHandle.standardError.write(
        Data("\(item.id) \(item.diagnosis.subtype) \(item.format.rawValue)\n".utf8))
    }
    try writer.writeManifest(cases)
    print("wrote \(written) cases to \(output)")
    return ExitStatus.success
  }
}
