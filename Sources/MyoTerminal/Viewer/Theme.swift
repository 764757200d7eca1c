import Foundation
import MyoImaging

/// A window preset from a theme: fixed values, or percentiles of the
/// slice's intensities, which suit MRI because its values have no fixed
/// scale.
public enum WindowPreset: Equatable, Sendable {
  /// A centre and width in modality values.
  case fixed(name: String, center: Double, width: Double)
  /// The range from the `low` to the `high` percentile (0 to 100).
  case percentile(name: String, low: Double, high: Double)

  /// The preset's name.
  public var name: String {
    switch self {
    case .fixed(let name, _, _), .percentile(let name, _, _): return name
    }
  }

  /// The window this preset gives for an image.
  public func window(for image: ScalarImage) -> Window {
    switch self {
    case .fixed(let name, let center, let width):
      return Window(center: center, width: width, name: name)
    case .percentile(let name, let low, let high):
      var window = Window.percentile(
        of: image.values, low: low / 100, high: high / 100)
      window.name = name
      return window
    }
  }
}

/// Errors in a theme file.
public enum ThemeError: Error, CustomStringConvertible, Equatable {
  /// The named theme exists nowhere on the search path.
  case notFound(name: String, searched: [String])
  /// A line could not be parsed.
  case invalidLine(path: String, line: Int, text: String, expected: String)

  public var description: String {
    switch self {
    case .notFound(let name, let searched):
      return "theme '\(name)' not found; looked in "
        + searched.joined(separator: ", ")
        + "; the built-in themes are dark, light and high-contrast"
    case .invalidLine(let path, let line, let text, let expected):
      return "\(path):\(line): invalid theme line '\(text)': expected"
        + " \(expected)"
    }
  }
}

/// Interface colours, the heatmap colour map and window presets.
///
/// Themes are plain text files, one `key = value` per line; lines that
/// start with `#` are comments. Colours are `#rrggbb`. `heatmap` names a colour map (jet,
/// viridis, cividis). `window NAME = CENTER WIDTH` adds a fixed preset and
/// `window NAME = percentile LOW HIGH` one from intensity percentiles.
public struct Theme: Equatable, Sendable {
  /// The theme's name.
  public var name: String
  /// Background of the whole screen.
  public var background: RGB
  /// Normal text.
  public var text: RGB
  /// Less important text: hints, labels.
  public var dim: RGB
  /// Highlight colour: headings, orientation labels, ROI boxes.
  public var accent: RGB
  /// Background of the selected row in lists.
  public var selection: RGB
  /// Background of the status line.
  public var statusBackground: RGB
  /// Error text.
  public var error: RGB
  /// The heatmap's colour scale.
  public var heatmap: ColorMap
  /// Window presets after the file's own.
  public var windows: [WindowPreset]

  /// The built-in dark theme, the default.
  public static let dark = Theme(
    name: "dark", background: RGB(12, 12, 16), text: RGB(210, 210, 210),
    dim: RGB(130, 130, 140), accent: RGB(255, 200, 80),
    selection: RGB(40, 70, 120), statusBackground: RGB(32, 32, 44),
    error: RGB(255, 110, 100), heatmap: .jet,
    windows: Theme.standardWindows)

  /// Percentile presets that suit T1 thigh MRI: the full range, muscle
  /// detail (dark end) and fat detail (bright end).
  public static let standardWindows: [WindowPreset] = [
    .percentile(name: "full", low: 0.5, high: 99.5),
    .percentile(name: "muscle", low: 1, high: 75),
    .percentile(name: "fat", low: 40, high: 99.9),
  ]

  /// Parses a theme file's text; keys left out keep the dark theme's
  /// values.
  public static func parse(_ text: String, path: String) throws -> Theme {
    var theme = Theme.dark
    theme.windows = []
    theme.name = ((path as NSString).lastPathComponent as NSString)
      .deletingPathExtension
    for (index, rawLine) in text.split(
      separator: "\n", omittingEmptySubsequences: false
    ).enumerated() {
      let line = rawLine.trimmingCharacters(in: .whitespaces)
      guard !line.isEmpty, !line.hasPrefix("#") else { continue }
      let parts = line.split(separator: "=", maxSplits: 1).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      func invalid(_ expected: String) -> ThemeError {
        .invalidLine(
          path: path, line: index + 1, text: String(rawLine),
          expected: expected)
      }
      guard parts.count == 2 else { throw invalid("KEY = VALUE") }
      let (key, value) = (parts[0], parts[1])
      if key.hasPrefix("window ") {
        let name = String(key.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        let words = value.split(separator: " ")
        if words.first == "percentile", words.count == 3,
          let low = Double(words[1]), let high = Double(words[2]),
          (0...100).contains(low), (0...100).contains(high), low < high
        {
          theme.windows.append(.percentile(name: name, low: low, high: high))
        } else if words.count == 2, let center = Double(words[0]),
          let width = Double(words[1]), width >= 1
        {
          theme.windows.append(.fixed(name: name, center: center, width: width))
        } else {
          throw invalid(
            "'CENTER WIDTH' or 'percentile LOW HIGH' for a window preset")
        }
        continue
      }
      if key == "name" {
        theme.name = value
        continue
      }
      if key == "heatmap" {
        guard let map = ColorMap.named(value) else {
          throw invalid("a colour map: jet, viridis or cividis")
        }
        theme.heatmap = map
        continue
      }
      guard let colour = RGB(hex: value) else {
        throw invalid("a colour as #rrggbb")
      }
      switch key {
      case "background": theme.background = colour
      case "text": theme.text = colour
      case "dim": theme.dim = colour
      case "accent": theme.accent = colour
      case "selection": theme.selection = colour
      case "status": theme.statusBackground = colour
      case "error": theme.error = colour
      default:
        throw invalid(
          "one of name, background, text, dim, accent, selection, status,"
            + " error, heatmap or window NAME")
      }
    }
    if theme.windows.isEmpty { theme.windows = standardWindows }
    return theme
  }

  /// The folders searched for `NAME.theme`, in order: the user's
  /// `$XDG_CONFIG_HOME/myoscope/themes` (default `~/.config`), then the
  /// Themes folder of the package the executable was built in and the one
  /// in the current folder.
  public static func searchPath(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> [String] {
    let config =
      environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (NSHomeDirectory() + "/.config")
    var folders = [config + "/myoscope/themes"]
    // The package's Themes folder: the nearest ancestor of the executable
    // (such as .build/x86_64-unknown-linux-gnu/release/myoscope) that has
    // one. /proc/self/exe names the executable however it was started.
    let executablePath =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    var folder = URL(fileURLWithPath: executablePath).deletingLastPathComponent()
    while folder.path != "/" {
      let candidate = folder.appendingPathComponent("Themes").path
      var isFolder: ObjCBool = false
      if FileManager.default.fileExists(atPath: candidate, isDirectory: &isFolder),
        isFolder.boolValue
      {
        folders.append(candidate)
        break
      }
      folder.deleteLastPathComponent()
    }
    let current = FileManager.default.currentDirectoryPath + "/Themes"
    if !folders.contains(current) { folders.append(current) }
    return folders
  }

  /// Loads a theme by name from the search path, or a theme file by path.
  public static func load(named name: String) throws -> Theme {
    if name.contains("/") {
      return try parse(readText(name), path: name)
    }
    let folders = searchPath()
    for folder in folders {
      let path = folder + "/" + name + ".theme"
      if FileManager.default.fileExists(atPath: path) {
        return try parse(readText(path), path: path)
      }
    }
    if name == "dark" { return .dark }
    throw ThemeError.notFound(name: name, searched: folders)
  }

  private static func readText(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ThemeError.notFound(name: path, searched: [path])
    }
    return String(decoding: data, as: UTF8.self)
  }
}
