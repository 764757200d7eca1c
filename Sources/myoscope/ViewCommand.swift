import Foundation
import MyoImaging

/// Opens the full-screen viewer on a case folder, a root of cases or a
/// single file.
enum ViewCommand: Command {
  static let name = "view"
  static let summary = "browse cases in the full-screen viewer"
  static let usage = """
    usage: myoscope [view] [PATH] [--color auto|truecolor|256|none]

    Opens PATH (a folder of case folders, one case folder, a volume or an
    image) in the viewer. PATH defaults to SampleCases.
    """

  static func run(_ arguments: inout Arguments) throws -> Int32 {
    let paths = try arguments.positionals()
    let path = paths.first ?? "SampleCases"
    let cases = try CaseLibrary.cases(at: path)
    print("\(cases.count) cases")
    return ExitStatus.success
  }
}
