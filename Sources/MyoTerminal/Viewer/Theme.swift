/// Interface colours.
public struct Theme: Equatable, Sendable {
  /// The theme's name.
  public var name: String
  /// Background of the whole screen.
  public var background: RGB
  /// Normal text.
  public var text: RGB
  /// Less important text: hints, labels.
  public var dim: RGB
  /// Highlight colour: the selected case, orientation labels.
  public var accent: RGB
  /// Background of the selected row in lists.
  public var selection: RGB
  /// Background of the status line.
  public var statusBackground: RGB
  /// Error text.
  public var error: RGB

  /// The built-in dark theme.
  public static let dark = Theme(
    name: "dark", background: RGB(12, 12, 16), text: RGB(210, 210, 210),
    dim: RGB(130, 130, 140), accent: RGB(255, 200, 80),
    selection: RGB(40, 70, 120), statusBackground: RGB(32, 32, 44),
    error: RGB(255, 110, 100))
}
