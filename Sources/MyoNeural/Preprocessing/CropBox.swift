/// A rectangle of slice pixels: the region that the network receives.
public struct CropBox: Sendable, Equatable, Codable {
  /// Left column.
  public var x: Int
  /// Top row.
  public var y: Int
  /// Columns.
  public var width: Int
  /// Rows.
  public var height: Int

  /// Creates a box.
  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }

  /// Returns the central square of an image, whose side is the shorter
  /// image side: the crop used when no region of interest was found.
  public static func centre(width: Int, height: Int) -> CropBox {
    let side = min(width, height)
    return CropBox(
      x: (width - side) / 2, y: (height - side) / 2, width: side, height: side)
  }

  /// Returns the box clipped to an image, or nil when none of it is inside.
  public func clipped(width imageWidth: Int, height imageHeight: Int)
    -> CropBox?
  {
    let left = max(0, x)
    let top = max(0, y)
    let right = min(imageWidth, x + width)
    let bottom = min(imageHeight, y + height)
    guard right > left && bottom > top else { return nil }
    return CropBox(x: left, y: top, width: right - left, height: bottom - top)
  }
}
