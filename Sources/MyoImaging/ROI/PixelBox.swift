/// A rectangle of whole pixels in display coordinates: columns
/// `x..<x + width`, rows `y..<y + height`, with row 0 at the top.
public struct PixelBox: Sendable, Equatable, Codable, CustomStringConvertible {
  /// The leftmost column.
  public var x: Int
  /// The top row.
  public var y: Int
  /// The number of columns.
  public var width: Int
  /// The number of rows.
  public var height: Int

  /// Creates a box from its top-left corner and size.
  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }

  /// The number of pixels in the box.
  public var area: Int { width * height }

  /// Returns the smallest box that contains both boxes.
  public func union(_ other: PixelBox) -> PixelBox {
    let left = min(x, other.x)
    let top = min(y, other.y)
    let right = max(x + width, other.x + other.width)
    let bottom = max(y + height, other.y + other.height)
    return PixelBox(x: left, y: top, width: right - left, height: bottom - top)
  }

  /// Returns whether the box contains the pixel at a column and row.
  public func contains(column: Int, row: Int) -> Bool {
    column >= x && column < x + width && row >= y && row < y + height
  }

  /// The box as `x,y widthxheight`.
  public var description: String { "\(x),\(y) \(width)x\(height)" }
}
