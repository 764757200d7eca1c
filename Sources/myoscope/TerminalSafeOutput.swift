import Foundation
import MyoTerminal

/// Prints like Swift's `print`, with control characters and escape
/// sequences from files (DICOM text, file names) shown escaped instead of
/// reaching the terminal. Newlines and tabs pass. Every command's text
/// output goes through here because this module-level function shadows
/// the standard one.
func print(
  _ items: Any..., separator: String = " ", terminator: String = "\n"
) {
  let text = items.map { "\($0)" }.joined(separator: separator) + terminator
  FileHandle.standardOutput.write(Data(terminalSafe(text).utf8))
}

/// Escapes control characters other than newline and tab.
func terminalSafe(_ text: String) -> String {
  text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
    line.split(separator: "\t", omittingEmptySubsequences: false)
      .map { TextSanitizer.escapeControls(String($0)) }
      .joined(separator: "\t")
  }.joined(separator: "\n")
}
