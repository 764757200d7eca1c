/// Makes text from files safe to draw: control characters, escape
/// sequences and characters wider than one column are shown escaped.
public enum TextSanitizer {
  /// The scalars to draw for `text`, each one column wide: printable
  /// characters as they are, C0 and C1 controls and DEL as `\xNN` or
  /// `\u{NNNN}`, and characters of other widths as `?`.
  public static func displayScalars(_ text: String) -> [Unicode.Scalar] {
    var result: [Unicode.Scalar] = []
    for scalar in text.unicodeScalars {
      let value = scalar.value
      if value < 0x20 || value == 0x7F || (0x80..<0xA0).contains(value) {
        let hex = String(value, radix: 16, uppercase: true)
        let padded = hex.count == 1 ? "0" + hex : hex
        result.append(contentsOf: "\\x\(padded)".unicodeScalars)
      } else if isSingleWidth(scalar) {
        result.append(scalar)
      } else {
        result.append("?")
      }
    }
    return result
  }

  /// Text with C0 and C1 controls and DEL shown as `\xNN`, and other
  /// characters kept, for output that is not drawn into cells.
  public static func escapeControls(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
      let value = scalar.value
      if value < 0x20 || value == 0x7F || (0x80..<0xA0).contains(value) {
        let hex = String(value, radix: 16, uppercase: true)
        result += "\\x" + (hex.count == 1 ? "0" + hex : hex)
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// The sanitized text as a string.
  public static func sanitize(_ text: String) -> String {
    var result = ""
    result.unicodeScalars.append(contentsOf: displayScalars(text))
    return result
  }

  /// Tells whether a scalar takes one terminal column. Combining marks,
  /// zero-width and format characters, East Asian wide ranges and emoji
  /// are rejected.
  static func isSingleWidth(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    let properties = scalar.properties
    if properties.generalCategory == .nonspacingMark
      || properties.generalCategory == .enclosingMark
      || properties.generalCategory == .format
      || properties.generalCategory == .lineSeparator
      || properties.generalCategory == .paragraphSeparator
      || properties.generalCategory == .unassigned
      || properties.generalCategory == .privateUse
      || properties.generalCategory == .surrogate
    {
      return false
    }
    let wideRanges: [ClosedRange<UInt32>] = [
      0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF,
      0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1FAFF,
      0x20000...0x3FFFD,
    ]
    return !wideRanges.contains { $0.contains(value) }
  }
}
