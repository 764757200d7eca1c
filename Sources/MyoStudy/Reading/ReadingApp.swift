import Foundation
import MyoTerminal

/// Runs the reading or teaching interface in the terminal until the reader
/// quits, finishes or disconnects (SIGHUP), restoring the terminal on
/// every path. Each answer is committed when it is submitted, so leaving
/// at any moment loses at most the answer being filled in.
public enum ReadingApp {
  /// Runs the loop and returns the exit status: 0 after q, 128 plus the
  /// signal number after SIGHUP, SIGTERM or SIGINT.
  public static func run(_ state: ReadingState, colorPreference: ColorMode? = nil) throws -> Int32 {
    ReadingSignals.install()
    let terminal = try Terminal(preference: colorPreference)
    defer { terminal.stop() }
    var needsRedraw = true
    var lastSecond = -1
    var shown: CellGrid?
    while true {
      if let signal = ReadingSignals.pending() { return 128 + signal }
      let second = Int(Date().timeIntervalSince1970)
      if needsRedraw {
        let (width, height) = terminal.size
        var grid = CellGrid(
          width: width, height: height,
          fill: Cell(" ", foreground: Theme.dark.text, background: Theme.dark.background))
        ReadingLayout.draw(
          state, into: &grid, mode: terminal.colorMode, unicode: terminal.unicode)
        terminal.present(grid)
        shown = grid
        needsRedraw = false
        lastSecond = second
      } else if second != lastSecond, var grid = shown {
        // The reading timer in the title advances once a second.
        ReadingLayout.drawTitle(state, into: &grid)
        terminal.present(grid)
        shown = grid
        lastSecond = second
      }
      // Keys that arrived while the last frame was drawn are handled
      // together, with one redraw after them rather than one per key.
      var next = terminal.readKey(timeoutMilliseconds: 200)
      // SIGHUP may not arrive (a parent can leave it blocked), so a
      // terminal that is gone ends the loop as the signal would.
      if next == nil, terminal.isHungUp { return 128 + SIGHUP }
      while let key = next {
        switch try state.handle(key) {
        case .quit: return 0
        case .redraw: needsRedraw = true
        case .none: break
        }
        next = terminal.readKey(timeoutMilliseconds: 0)
      }
    }
  }
}

/// Records SIGHUP, SIGTERM and SIGINT for the run loop; the handler only
/// stores the number, which is safe in a signal handler.
enum ReadingSignals {
  nonisolated(unsafe) static var received: Int32 = 0

  static func install() {
    var signals = sigset_t()
    sigemptyset(&signals)
    for number in [SIGTERM, SIGHUP, SIGINT] {
      signal(number) { ReadingSignals.received = $0 }
      sigaddset(&signals, number)
    }
    // A parent may have left them blocked, which a child inherits.
    pthread_sigmask(SIG_UNBLOCK, &signals, nil)
  }

  static func pending() -> Int32? { received == 0 ? nil : received }
}
