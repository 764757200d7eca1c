/// A 24-bit colour.
public struct RGB: Hashable, Sendable {
  /// Red, 0 to 255.
  public var r: UInt8
  /// Green, 0 to 255.
  public var g: UInt8
  /// Blue, 0 to 255.
  public var b: UInt8

  /// Creates a colour from its three components.
  public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
    self.r = r
    self.g = g
    self.b = b
  }

  /// A gray of the given level.
  public init(gray: UInt8) {
    self.init(gray, gray, gray)
  }

  /// The colour packed as 0xRRGGBB.
  public var packed: Int { Int(r) << 16 | Int(g) << 8 | Int(b) }

  /// Parses "#rrggbb".
  public init?(hex: String) {
    let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
    guard digits.count == 6, let value = Int(digits, radix: 16) else {
      return nil
    }
    self.init(
      UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
  }

  /// Black.
  public static let black = RGB(0, 0, 0)
  /// White.
  public static let white = RGB(255, 255, 255)
}
