import Foundation
import MyoStudy

/// Starts teaching mode on a teaching set.
enum TeachCommand: Command {
  static let name = "teach"
  static let summary = "practise on a teaching set, with the answer after each case"
  static let usage = """
    usage: myoscope teach STUDY.db [--reader ALIAS] [--new-session]
                          [--color auto|truecolor|256|none]

    Like 'myoscope read', but after each answer it shows the truth, the
    subtype, the model's probability and class activation map over the
    slice (once 'study predict' has run), the muscle labels, the Mercuri
    grades of each muscle where the case has them, and the running
    score. STUDY.db must be a teaching set, made with 'myoscope study
    create --teaching'; teaching reads never count in a study's
    statistics.

    keys after an answer: up/down slice, h heatmap, l labels, q quit;
    any other key opens the next case (a form key such as y also
    answers it)
    """

  static func run(_ arguments: inout Arguments) throws -> Int32 {
    try ReadCommand.start(&arguments, kind: "teaching", command: name)
  }
}
