/// Orders names the way people count: "slice2" before "slice10".
public enum NaturalOrder {
  /// Tells whether `lhs` sorts before `rhs`, comparing runs of digits by
  /// their numeric value and other text case-insensitively.
  public static func less(_ lhs: String, _ rhs: String) -> Bool {
    let left = chunks(lhs)
    let right = chunks(rhs)
    for (a, b) in zip(left, right) where a != b {
      switch (a, b) {
      case (.number(let x, let xs), .number(let y, let ys)):
        if x != y { return x < y }
        return xs < ys
      case (.text(let x), .text(let y)):
        let lx = x.lowercased()
        let ly = y.lowercased()
        return lx != ly ? lx < ly : x < y
      case (.number, .text):
        return true
      case (.text, .number):
        return false
      }
    }
    return left.count < right.count
  }

  private enum Chunk: Equatable {
    case text(String)
    case number(Double, String)
  }

  private static func chunks(_ name: String) -> [Chunk] {
    var result: [Chunk] = []
    var current = ""
    var digits = false
    for character in name {
      let isDigit = character.isASCII && character.isNumber
      if !current.isEmpty && isDigit != digits {
        result.append(chunk(current, digits))
        current = ""
      }
      digits = isDigit
      current.append(character)
    }
    if !current.isEmpty { result.append(chunk(current, digits)) }
    return result
  }

  private static func chunk(_ text: String, _ digits: Bool) -> Chunk {
    digits ? .number(Double(text) ?? 0, text) : .text(text)
  }
}
