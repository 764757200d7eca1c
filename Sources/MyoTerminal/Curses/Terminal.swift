import CNcursesw
import Foundation

/// Errors starting the terminal.
public enum TerminalError: Error, CustomStringConvertible {
  /// Standard input or output is not a terminal.
  case notATerminal
  /// ncurses could not start with the terminal type.
  case cannotStart(term: String)
  /// The terminal cannot move the cursor, so no full-screen interface.
  case noCursorAddressing(term: String)

  public var description: String {
    switch self {
    case .notATerminal:
      return "standard input and output must be a terminal for the viewer;"
        + " use 'myoscope render FILE' to print one image instead"
    case .noCursorAddressing(let term):
      return "the terminal type TERM='\(term)' cannot move the cursor, so"
        + " the full-screen viewer cannot run; set TERM to your terminal's"
        + " type, or use 'myoscope render FILE --color none' for text"
    case .cannotStart(let term):
      return "ncurses cannot start with TERM='\(term)'; set TERM to your"
        + " terminal's type, such as xterm-256color"
    }
  }
}

/// The full-screen terminal, through ncursesw. This is the only file that
/// imports ncurses; the rest of the interface draws into a `CellGrid`.
///
/// Colour pairs: ncurses 6.4's `alloc_pair` does not recycle pairs once the
/// table is full, so this type numbers pairs itself and starts the
/// numbering again when a frame would overflow the table. Every present
/// redefines the pairs that frame uses, so nothing on screen keeps a stale
/// pair.
public final class Terminal {
  /// The colour mode in use.
  public let colorMode: ColorMode
  /// The terminfo entry in use.
  public let termName: String
  /// Whether the locale's character set is UTF-8. Without it, glyphs
  /// outside ASCII are drawn as ASCII look-alikes.
  public let unicode: Bool

  private var screen: OpaquePointer?
  private var pairs: [Int64: Int32] = [:]
  private var nextPair: Int32 = 1
  private var pairCapacity: Int32 = 0
  private var stopped = false
  private var lastSize = (width: 0, height: 0)

  /// Starts full-screen mode. `preference` overrides the detected colour
  /// mode; with truecolor on a terminfo entry without direct colour, the
  /// matching `-direct` entry (such as xterm-direct or tmux-direct) is
  /// used when it exists.
  public init(preference: ColorMode? = nil) throws {
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
      throw TerminalError.notATerminal
    }
    setlocale(LC_ALL, "")
    let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
    unicode = codeset.uppercased().replacingOccurrences(of: "-", with: "")
      == "UTF8"
    let environment = ProcessInfo.processInfo.environment
    let term = environment["TERM"] ?? "dumb"
    let wanted = preference ?? ColorMode.fromEnvironment(environment)

    var chosenTerm = term
    var mode: ColorMode = wanted ?? .palette256
    let (colors, hasRGB) = Terminal.capabilities(of: term)
    guard Terminal.canAddressCursor(term) else {
      throw TerminalError.noCursorAddressing(term: term)
    }
    if wanted == nil {
      mode = hasRGB || colors >= 1 << 24 ? .truecolor : colors >= 256 ? .palette256 : .none
    }
    if mode == .truecolor && !(hasRGB || colors >= 1 << 24) {
      let direct = Terminal.directEntry(for: term, environment: environment)
      if let direct, Terminal.capabilities(of: direct).1 {
        chosenTerm = direct
      } else {
        mode = .palette256
      }
    }
    if mode == .palette256 && colors < 256 && chosenTerm == term {
      mode = colors >= 8 ? .palette256 : .none
    }

    // The terminal's attributes are saved for the crash handler before
    // ncurses changes them.
    var attributes = termios()
    tcgetattr(STDIN_FILENO, &attributes)
    screen = chosenTerm.withCString { name in
      newterm(name, myo_stdout(), myo_stdin())
    }
    guard screen != nil else {
      throw TerminalError.cannotStart(term: chosenTerm)
    }
    CrashRestore.install(attributes: attributes)
    termName = chosenTerm
    colorMode = mode
    raw()
    noecho()
    nonl()
    keypad(myo_stdscr(), true)
    Terminal.defineNormalModeKeys()
    curs_set(0)
    // How long a lone Escape waits for the rest of a key's sequence. Over
    // SSH or under load the bytes of one key or mouse report can arrive
    // apart, and a sequence cut by the timeout turns into Escape and
    // stray characters. 100 ms still feels immediate for Esc (vim's
    // ttimeoutlen is 100 ms too); ESCDELAY in the environment, which
    // ncurses reads itself, takes precedence.
    if environment["ESCDELAY"] == nil { set_escdelay(100) }
    if mode != .none && has_colors() {
      start_color()
      use_default_colors()
      pairCapacity = max(0, Int32(myo_color_pairs()) - 1)
    }
    mousemask(Terminal.mouseEvents, nil)
    mouseinterval(0)
  }

  /// Teaches ncurses the normal-mode (CSI) forms of the cursor and
  /// editing keys. Keys typed before `keypad` switched the terminal to
  /// application mode, while the program was still starting, arrive as
  /// ESC [ B rather than the terminfo entry's ESC O B. Unknown to ncurses,
  /// they would be read as Escape, '[' and 'B', and the key would be lost.
  /// ncurses ignores a definition whose sequence it already has.
  static func defineNormalModeKeys() {
    let keys: [(String, Int32)] = [
      ("\u{1B}[A", KEY_UP), ("\u{1B}[B", KEY_DOWN), ("\u{1B}[C", KEY_RIGHT),
      ("\u{1B}[D", KEY_LEFT), ("\u{1B}[H", KEY_HOME), ("\u{1B}[F", KEY_END),
      ("\u{1B}OA", KEY_UP), ("\u{1B}OB", KEY_DOWN), ("\u{1B}OC", KEY_RIGHT),
      ("\u{1B}OD", KEY_LEFT), ("\u{1B}OH", KEY_HOME), ("\u{1B}OF", KEY_END),
    ]
    for (sequence, code) in keys where key_defined(sequence) == 0 {
      define_key(sequence, code)
    }
  }

  /// Ends full-screen mode and restores the terminal. Safe to call twice.
  public func stop() {
    guard !stopped else { return }
    stopped = true
    endwin()
    CrashRestore.uninstall()
    if let screen { delscreen(screen) }
    screen = nil
    fflush(myo_stdout())
  }

  deinit { stop() }

  /// The size in columns and rows.
  public var size: (width: Int, height: Int) {
    (Int(getmaxx(myo_stdscr())), Int(getmaxy(myo_stdscr())))
  }

  /// Copies a grid to the screen in one refresh; ncurses sends only the
  /// cells that changed since the last present.
  public func present(_ grid: CellGrid) {
    let (width, height) = size
    reservePairs(for: grid)
    var chars: [wchar_t] = [0, 0]
    var cell = cchar_t()
    if (width, height) != lastSize {
      // After a resize, repaint everything. The window's background takes
      // the colours of the grid's bottom-right cell, because present never
      // writes that cell and erase paints it with the background.
      if grid.width > 0 && grid.height > 0 {
        let corner = grid[grid.width - 1, grid.height - 1]
        chars[0] = wchar_t(bitPattern: (" " as Unicode.Scalar).value)
        var pair = Int32(pairNumber(corner))
        setcchar(&cell, chars, 0, 0, &pair)
        wbkgrndset(myo_stdscr(), &cell)
      }
      clearok(myo_stdscr(), true)
      erase()
      lastSize = (width, height)
    }
    for y in 0..<min(height, grid.height) {
      for x in 0..<min(width, grid.width) {
        // Writing the bottom-right cell scrolls some terminals.
        if y == height - 1 && x == width - 1 { continue }
        let source = grid[x, y]
        let glyph = unicode ? source.glyph : Terminal.asciiGlyph(source.glyph)
        chars[0] = wchar_t(bitPattern: glyph.value)
        var pair = Int32(pairNumber(source))
        let attributes = Terminal.attributes(source.style)
        setcchar(&cell, chars, attr_t(attributes), 0, &pair)
        mvadd_wch(Int32(y), Int32(x), &cell)
      }
    }
    refresh()
  }

  /// Whether the terminal is gone: after a hang-up (a closed SSH
  /// connection or tmux pane) the terminal's attributes can no longer be
  /// read, and a read returns at once without a key.
  public var isHungUp: Bool {
    var attributes = termios()
    return tcgetattr(STDIN_FILENO, &attributes) != 0
  }

  /// Waits up to `milliseconds` for a key and returns it, or nil.
  public func readKey(timeoutMilliseconds milliseconds: Int) -> Key? {
    timeout(Int32(milliseconds))
    var character: wint_t = 0
    let status = wget_wch(myo_stdscr(), &character)
    if status == ERR { return nil }
    if status == KEY_CODE_YES {
      switch Int32(character) {
      case KEY_UP: return .up
      case KEY_DOWN: return .down
      case KEY_LEFT: return .left
      case KEY_RIGHT: return .right
      case KEY_SLEFT: return .shiftLeft
      case KEY_SRIGHT: return .shiftRight
      case KEY_SR: return .shiftUp
      case KEY_SF: return .shiftDown
      case KEY_NPAGE: return .pageDown
      case KEY_PPAGE: return .pageUp
      case KEY_HOME: return .home
      case KEY_END: return .end
      case KEY_BACKSPACE: return .backspace
      case KEY_ENTER: return .enter
      case KEY_RESIZE: return .resize
      case KEY_MOUSE: return mouseEvent()
      default: return nil
      }
    }
    switch character {
    case 27: return .escape
    case 10, 13: return .enter
    case 127, 8: return .backspace
    default:
      return Unicode.Scalar(UInt32(character)).map { .character($0) }
    }
  }

  /// An ASCII stand-in for a glyph, for locales without UTF-8.
  static func asciiGlyph(_ glyph: Unicode.Scalar) -> Unicode.Scalar {
    guard glyph.value > 0x7E else { return glyph }
    switch glyph {
    case "\u{2502}": return "|"
    case "\u{00B7}": return "."
    case Cell.fullBlock: return "#"
    case "\u{2591}": return "-"
    case Cell.ellipsis: return "~"
    case Cell.upperHalf, Cell.lowerHalf: return "#"
    default: return "?"
    }
  }

  // MARK: - Colour pairs

  private func key(_ cell: Cell) -> Int64 {
    switch colorMode {
    case .truecolor:
      return Int64(directValue(cell.foreground)) << 32
        | Int64(directValue(cell.background))
    case .palette256:
      return Int64(Palette256.index(of: cell.foreground)) << 32
        | Int64(Palette256.index(of: cell.background))
    case .none:
      return 0
    }
  }

  /// Direct-colour terminfo entries send values below 8 as palette colours
  /// 0 to 7, so near-black blues are nudged to red 1, which looks the same.
  private func directValue(_ colour: RGB) -> Int {
    let value = colour.packed
    return value < 8 ? 0x01_0000 | value : value
  }

  private func reservePairs(for grid: CellGrid) {
    guard colorMode != .none, pairCapacity > 0 else { return }
    var fresh = Set<Int64>()
    for cell in grid.cells {
      let k = key(cell)
      if pairs[k] == nil { fresh.insert(k) }
    }
    if Int(nextPair) - 1 + fresh.count > Int(pairCapacity) {
      pairs.removeAll(keepingCapacity: true)
      nextPair = 1
    }
  }

  private func pairNumber(_ cell: Cell) -> Int {
    guard colorMode != .none, pairCapacity > 0 else { return 0 }
    let k = key(cell)
    if let existing = pairs[k] { return Int(existing) }
    guard nextPair <= pairCapacity else { return 0 }
    let number = nextPair
    nextPair += 1
    init_extended_pair(number, Int32(k >> 32), Int32(k & 0xFFFF_FFFF))
    pairs[k] = number
    return Int(number)
  }

  private static func attributes(_ style: CellStyle) -> UInt32 {
    // A_UNDERLINE, A_REVERSE and A_BOLD are NCURSES_BITS(1, 9), (1, 10)
    // and (1, 13) in curses.h: bits 17, 18 and 21.
    var result: UInt32 = 0
    if style.contains(.underline) { result |= 1 << 17 }
    if style.contains(.reverse) { result |= 1 << 18 }
    if style.contains(.bold) { result |= 1 << 21 }
    return result
  }

  // MARK: - Terminal capabilities

  /// The number of colours and the RGB flag of a terminfo entry.
  static func capabilities(of term: String) -> (Int, Bool) {
    var status: Int32 = 0
    let loaded = term.withCString { setupterm($0, STDOUT_FILENO, &status) }
    guard loaded == OK, let current = myo_cur_term() else { return (0, false) }
    let colors = Int(tigetnum("colors"))
    let rgb = tigetflag("RGB") > 0
    del_curterm(current)
    return (colors, rgb)
  }

  /// Whether a terminfo entry has cursor addressing (cup).
  static func canAddressCursor(_ term: String) -> Bool {
    var status: Int32 = 0
    let loaded = term.withCString { setupterm($0, STDOUT_FILENO, &status) }
    guard loaded == OK, let current = myo_cur_term() else { return false }
    defer { del_curterm(current) }
    guard let cup = tigetstr("cup") else { return false }
    return Int(bitPattern: cup) != -1
  }

  /// The direct-colour terminfo entry for a terminal type, if one exists.
  static func directEntry(for term: String, environment: [String: String])
    -> String?
  {
    if term.hasSuffix("-direct") { return term }
    let insideTmux = environment["TMUX"] != nil
    if term.hasPrefix("tmux") || (insideTmux && term.hasPrefix("screen")) {
      return "tmux-direct"
    }
    let base = term.split(separator: "-").first.map(String.init) ?? term
    let known = [
      "xterm", "kitty", "vte", "konsole", "iterm2", "mintty", "mlterm",
      "alacritty",
    ]
    return known.contains(base) ? "\(base)-direct" : "xterm-direct"
  }

  private static var mouseEvents: mmask_t {
    myo_button1_pressed() | myo_button1_released() | myo_button4_pressed()
      | myo_button5_pressed() | myo_report_mouse_position()
  }

  private func mouseEvent() -> Key? {
    var event = MEVENT()
    guard getmouse(&event) == OK else { return nil }
    let state = event.bstate
    let kind: MouseEvent.Kind
    if state & myo_button4_pressed() != 0 {
      kind = .wheelUp
    } else if state & myo_button5_pressed() != 0 {
      kind = .wheelDown
    } else if state & myo_button1_pressed() != 0 {
      kind = .press
    } else if state & myo_button1_released() != 0 {
      kind = .release
    } else {
      kind = .drag
    }
    return .mouse(MouseEvent(kind: kind, x: Int(event.x), y: Int(event.y)))
  }
}

/// Restores the terminal when the process dies of a fatal signal, where
/// ncurses cannot run. The handler makes only async-signal-safe calls
/// (tcsetattr, write, sigaction, signal, raise) besides the previous
/// handler, and touches only memory prepared by `install`.
///
/// The Swift runtime installs its own handlers for SIGSEGV, SIGBUS,
/// SIGILL, SIGFPE, SIGTRAP, SIGABRT and SIGQUIT at start-up: the
/// backtracer, which SWIFT_BACKTRACE configures and which writes a crash
/// report and, on a terminal, waits for a key. This handler runs first
/// and restores the terminal, so the backtracer's report lands on the
/// normal screen. It then calls the backtracer (when it is on) and ends
/// the process with the signal's default action. SIGQUIT ends the viewer
/// cleanly instead (see `SignalFlag`).
enum CrashRestore {
  static let signals = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT]

  nonisolated(unsafe) static var saved = termios()
  nonisolated(unsafe) static var reset: UnsafeMutablePointer<UInt8>?
  nonisolated(unsafe) static var resetCount = 0
  /// The handlers in place before `install`, indexed by signal number.
  nonisolated(unsafe) static var previous: UnsafeMutablePointer<sigaction>?
  nonisolated(unsafe) static var installed = false

  /// Saves the terminal's attributes from before ncurses started and the
  /// reset sequence, and installs the handler. Call it after ncurses has
  /// loaded the terminfo entry, so that the sequence uses the entry's own
  /// strings.
  static func install(attributes: termios) {
    guard !installed else { return }
    saved = attributes
    // No handler is installed here, so the buffers of an earlier viewer
    // can go.
    reset?.deallocate()
    let bytes = Array(resetSequence().utf8)
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
    buffer.initialize(from: bytes, count: bytes.count)
    reset = buffer
    resetCount = bytes.count
    let table =
      previous ?? UnsafeMutablePointer<sigaction>.allocate(capacity: Int(NSIG))
    table.initialize(repeating: sigaction(), count: Int(NSIG))
    previous = table
    installed = true

    var action = sigaction()
    action.__sigaction_handler.sa_sigaction = { number, info, context in
      CrashRestore.restoreTerminal()
      CrashRestore.callPrevious(number, info, context)
      // The backtracer returns, expecting a fault to happen again, so a
      // signal sent with kill would let the program run on. With the
      // default action, the raised signal ends the process as soon as
      // this handler returns, and a fault does when it repeats.
      signal(number, SIG_DFL)
      raise(number)
    }
    action.sa_flags = SA_SIGINFO | SA_ONSTACK
    sigemptyset(&action.sa_mask)
    for number in signals {
      sigaction(number, &action, table + Int(number))
    }
  }

  /// Calls the handler that was in place before `install`, unless it was
  /// the default action or ignored the signal. Async-signal-safe.
  static func callPrevious(
    _ number: Int32, _ info: UnsafeMutablePointer<siginfo_t>?,
    _ context: UnsafeMutableRawPointer?
  ) {
    guard let previous, number > 0, number < NSIG else { return }
    let action = previous[Int(number)]
    // SIG_DFL and SIG_IGN are the handler values 0 and 1.
    let raw = unsafeBitCast(action.__sigaction_handler, to: Int.self)
    guard raw != 0, raw != 1 else { return }
    if action.sa_flags & SA_SIGINFO != 0 {
      action.__sigaction_handler.sa_sigaction?(number, info, context)
    } else {
      action.__sigaction_handler.sa_handler?(number)
    }
  }

  /// Puts the handlers that were in place before `install` back, once the
  /// terminal is restored and the screen no longer needs resetting.
  static func uninstall() {
    guard installed, let previous else { return }
    for number in signals {
      sigaction(number, previous + Int(number), nil)
    }
    installed = false
  }

  /// Writes the reset sequence and restores the terminal's attributes.
  /// Async-signal-safe.
  static func restoreTerminal() {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved)
    if let reset { _ = write(STDOUT_FILENO, reset, resetCount) }
  }

  /// Returns the sequence that undoes the viewer's terminal modes:
  /// attributes off, keypad transmit mode off, mouse reporting off, cursor
  /// shown and the alternate screen left. The terminfo entry's strings are
  /// used where it has them, the xterm ones otherwise.
  static func resetSequence() -> String {
    func capability(_ name: String, _ fallback: String) -> String {
      guard let value = tigetstr(name), Int(bitPattern: value) != -1 else {
        return fallback
      }
      return String(cString: value)
    }
    let mouseOff = "\u{1B}[?1006l\u{1B}[?1003l\u{1B}[?1002l\u{1B}[?1000l"
    return capability("sgr0", "\u{1B}[0m")
      + capability("rmkx", "\u{1B}[?1l\u{1B}>")
      + mouseOff
      + capability("cnorm", "\u{1B}[?25h")
      + capability("rmcup", "\u{1B}[?1049l")
  }
}
