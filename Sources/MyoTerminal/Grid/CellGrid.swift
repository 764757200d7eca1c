/// Text attributes of a cell.
public struct CellStyle: OptionSet, Hashable, Sendable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }
  /// Bold text.
  public static let bold = CellStyle(rawValue: 1)
  /// Reverse video.
  public static let reverse = CellStyle(rawValue: 2)
  /// Underlined text.
  public static let underline = CellStyle(rawValue: 4)
}

/// One character cell: a glyph with foreground and background colours.
public struct Cell: Hashable, Sendable {
  /// The glyph; one column wide.
  public var glyph: Unicode.Scalar
  /// The glyph's colour.
  public var foreground: RGB
  /// The cell's background colour.
  public var background: RGB
  /// Text attributes.
  public var style: CellStyle

  /// Creates a cell.
  public init(
    _ glyph: Unicode.Scalar, foreground: RGB, background: RGB,
    style: CellStyle = []
  ) {
    self.glyph = glyph
    self.foreground = foreground
    self.background = background
    self.style = style
  }

  /// The upper half block, whose foreground colours the top half.
  public static let upperHalf: Unicode.Scalar = "\u{2580}"
  /// The lower half block, whose foreground colours the bottom half.
  public static let lowerHalf: Unicode.Scalar = "\u{2584}"
  /// The full block, all foreground.
  public static let fullBlock: Unicode.Scalar = "\u{2588}"
  /// The horizontal ellipsis that ends a text cut short.
  public static let ellipsis: Unicode.Scalar = "\u{2026}"
}

/// A rectangle of cells, in columns and rows.
public struct CellRect: Equatable, Sendable {
  /// Left column.
  public var x: Int
  /// Top row.
  public var y: Int
  /// Width in columns.
  public var width: Int
  /// Height in rows.
  public var height: Int

  /// Creates a rectangle.
  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = max(0, width)
    self.height = max(0, height)
  }
}

/// An off-screen screen: views draw into it, the terminal backend copies
/// it to the screen, and tests read it.
public struct CellGrid: Equatable, Sendable {
  /// Width in columns.
  public let width: Int
  /// Height in rows.
  public let height: Int
  /// Cells, row-major `[height, width]`.
  public private(set) var cells: [Cell]

  /// Creates a grid filled with spaces of the given colours.
  public init(width: Int, height: Int, fill: Cell) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = Array(repeating: fill, count: self.width * self.height)
  }

  /// The cell at a column and row.
  public subscript(x: Int, y: Int) -> Cell {
    get { cells[y * width + x] }
    set {
      guard x >= 0, y >= 0, x < width, y < height else { return }
      cells[y * width + x] = newValue
    }
  }

  /// Writes text from a column, clipped to `maxWidth` columns and the
  /// grid. Text is sanitized first, so control characters and escape
  /// sequences are shown escaped, never sent to the terminal. Returns the
  /// number of columns written.
  @discardableResult
  public mutating func write(
    _ text: String, x: Int, y: Int, foreground: RGB, background: RGB,
    style: CellStyle = [], maxWidth: Int = .max
  ) -> Int {
    guard y >= 0, y < height else { return 0 }
    var column = x
    let limit = min(width, maxWidth == .max ? width : x + maxWidth)
    let scalars = TextSanitizer.displayScalars(text)
    for (index, scalar) in scalars.enumerated() {
      guard column < limit else { break }
      // A text cut short ends in an ellipsis, so that a truncated name or
      // value never reads as complete.
      let truncated = column == limit - 1 && index < scalars.count - 1
      if column >= 0 {
        self[column, y] = Cell(
          truncated ? Cell.ellipsis : scalar, foreground: foreground,
          background: background, style: style)
      }
      column += 1
    }
    return column - x
  }

  /// Fills a rectangle with one cell.
  public mutating func fill(_ rect: CellRect, with cell: Cell) {
    for row in rect.y..<(rect.y + rect.height) where row >= 0 && row < height {
      for column in rect.x..<(rect.x + rect.width)
      where column >= 0 && column < width {
        cells[row * width + column] = cell
      }
    }
  }

  /// The glyphs of one row as a string, for tests and plain-text output.
  public func text(row: Int) -> String {
    var result = ""
    for column in 0..<width {
      result.unicodeScalars.append(cells[row * width + column].glyph)
    }
    return result
  }
}
