import Foundation
import MyoImaging
import MyoNeural

/// Runs the full-screen viewer until the user quits or a signal arrives,
/// and restores the terminal on every exit path.
public enum ViewerApp {
  /// Shows the cases and returns the process exit status: 0 after q or
  /// Ctrl-C, 128 plus the signal number after SIGTERM, SIGHUP, SIGINT or
  /// SIGQUIT.
  public static func run(
    cases: [CaseEntry], colorPreference: ColorMode? = nil,
    theme: Theme = .dark, dithering: Dithering = .ordered,
    loader: SliceLoader = SliceLoader(),
    model: ModelProvider = ModelProvider()
  ) throws -> Int32 {
    SignalFlag.install()
    let terminal = try Terminal(preference: colorPreference)
    defer { terminal.stop() }

    let state = ViewerState(
      cases: cases, theme: theme, loader: loader, model: model)
    state.colorMode = terminal.colorMode
    state.dithering = dithering
    state.unicode = terminal.unicode
    var needsRedraw = true
    var shown: CellGrid?
    while true {
      if let signal = SignalFlag.pending() {
        return 128 + signal
      }
      if needsRedraw {
        let (width, height) = terminal.size
        var grid = CellGrid(
          width: width, height: height,
          fill: Cell(" ", foreground: theme.text, background: theme.background))
        ViewerLayout.draw(state, into: &grid, previous: shown)
        terminal.present(grid)
        shown = grid
        needsRedraw = false
      }
      // Wake often while something moves on its own, so that progress and
      // cine frames show; keys are answered at once either way.
      let timeout = state.isAnimating ? 40 : 250
      guard let key = terminal.readKey(timeoutMilliseconds: timeout) else {
        // SIGHUP may not arrive (a parent can leave it blocked), so a
        // terminal that is gone ends the loop as the signal would.
        if terminal.isHungUp { return 128 + SIGHUP }
        if state.tick() == .redraw { needsRedraw = true }
        continue
      }
      if key == .resize { shown = nil }
      if state.tick() == .redraw { needsRedraw = true }
      switch state.handle(key) {
      case .quit: return 0
      case .redraw: needsRedraw = true
      case .none: break
      }
    }
  }
}

/// Records SIGTERM, SIGHUP, SIGINT and SIGQUIT so that the run loop can
/// restore the terminal and exit. The handler only stores the number,
/// which is safe in a signal handler. Without it, SIGQUIT would reach the
/// Swift runtime's backtracer, which prints a backtrace over the screen
/// and leaves the viewer running. In raw mode Ctrl-\ is a key, so SIGQUIT
/// comes only from kill.
enum SignalFlag {
  nonisolated(unsafe) static var received: Int32 = 0

  static func install() {
    var signals = sigset_t()
    sigemptyset(&signals)
    for number in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] {
      signal(number) { SignalFlag.received = $0 }
      sigaddset(&signals, number)
    }
    // A parent may have left them blocked, which a child inherits.
    pthread_sigmask(SIG_UNBLOCK, &signals, nil)
  }

  static func pending() -> Int32? {
    received == 0 ? nil : received
  }
}
