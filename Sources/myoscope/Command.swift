import Foundation

/// A subcommand of `myoscope`, such as `info` or `classify`.
protocol Command {
  /// The word that selects the command on the command line.
  static var name: String { get }
  /// One line for the command list in `myoscope --help`.
  static var summary: String { get }
  /// The full usage text printed by `myoscope NAME --help`.
  static var usage: String { get }
  /// Runs the command with the arguments after its name and returns the
  /// process exit status.
  static func run(_ arguments: inout Arguments) throws -> Int32
}

/// Exit statuses shared by every command; the man page lists them.
enum ExitStatus {
  /// The command did what was asked.
  static let success: Int32 = 0
  /// An input file could not be read or a computation failed.
  static let failure: Int32 = 1
  /// The command line was invalid.
  static let usage: Int32 = 2
}
