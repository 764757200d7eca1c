import Foundation
import MyoNeural

/// No bundle was named and the demo bundle is in none of the places
/// searched.
struct MissingDemoBundle: Error, CustomStringConvertible {
  /// The paths tried, in order, the current folder's first.
  var searched: [String]

  var description: String {
    let current = searched.first ?? "Models/" + Classifier.demoBundleName
    let besideExecutable = searched.dropFirst().first.map {
      " nor beside the executable (\($0) and the folders above it)"
    } ?? ""
    return "no model bundle given, and the demo bundle is neither at"
      + " \(current)\(besideExecutable);"
      + " pass --model BUNDLE or set MYOSCOPE_MODEL"
  }
}

/// Finds the model bundle a command uses.
enum ModelBundlePath {
  /// Returns `option` (the command's --model value) when given, else
  /// MYOSCOPE_MODEL when set, else the demo bundle. Throws
  /// `MissingDemoBundle` when the demo bundle is needed and not found.
  static func resolve(_ option: String?) throws -> String {
    if let option { return option }
    let path = Classifier.defaultBundlePath
    let environment = ProcessInfo.processInfo.environment["MYOSCOPE_MODEL"]
    if environment?.isEmpty == false || FileManager.default.fileExists(atPath: path) {
      return path
    }
    throw MissingDemoBundle(searched: Classifier.demoBundleCandidates)
  }
}
