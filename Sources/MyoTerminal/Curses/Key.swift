/// A key press or terminal event read from the keyboard.
public enum Key: Equatable, Sendable {
  /// A printable character or a control character such as Ctrl-C (3).
  case character(Unicode.Scalar)
  /// Arrow up.
  case up
  /// Arrow down.
  case down
  /// Arrow left.
  case left
  /// Arrow right.
  case right
  /// Shift with an arrow: pans a zoomed image.
  case shiftLeft
  /// Shift with arrow right.
  case shiftRight
  /// Shift with arrow up.
  case shiftUp
  /// Shift with arrow down.
  case shiftDown
  /// Page up.
  case pageUp
  /// Page down.
  case pageDown
  /// Home.
  case home
  /// End.
  case end
  /// Escape on its own.
  case escape
  /// Return or Enter.
  case enter
  /// Backspace or Delete.
  case backspace
  /// The terminal changed size.
  case resize
  /// A mouse event at a cell.
  case mouse(MouseEvent)
}

/// A mouse event reported by the terminal.
public struct MouseEvent: Equatable, Sendable {
  /// What happened.
  public enum Kind: Equatable, Sendable {
    /// Button 1 pressed.
    case press
    /// Button 1 released.
    case release
    /// Motion with button 1 held.
    case drag
    /// Wheel up.
    case wheelUp
    /// Wheel down.
    case wheelDown
  }

  /// What happened.
  public var kind: Kind
  /// Column of the event.
  public var x: Int
  /// Row of the event.
  public var y: Int

  /// Creates an event.
  public init(kind: Kind, x: Int, y: Int) {
    self.kind = kind
    self.x = x
    self.y = y
  }
}
