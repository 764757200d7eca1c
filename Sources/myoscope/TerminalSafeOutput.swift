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

/// Escapes every control character, newlines included, so that a file
/// name or a recorded user name cannot start a line of its own, such as
/// a false "ok".
func terminalSafeLine(_ text: String) -> String {
  terminalSafe(text.replacingOccurrences(of: "\n", with: "\\n"))
}

/// Writes one warning line to standard error, escaped.
func warn(_ text: String) {
  FileHandle.standardError.write(Data("warning: \(terminalSafeLine(text))\n".utf8))
}
