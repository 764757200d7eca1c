/// Errors of training, the feature cache and triage. Each names the file,
/// the value and what to do.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
  /// The cohort manifest cannot be read or parsed; `line` is 0 when the
  /// problem is not on one line.
  case invalidManifest(path: String, line: Int, reason: String)
  /// A column the manifest needs is absent.
  case missingColumn(path: String, column: String, found: [String])
  /// A case's folder does not exist or contains no image.
  case missingCase(path: String, caseName: String, folder: String)
  /// An image file of a case cannot be read.
  case unreadableImage(path: String, reason: String)
  /// A split has too few cases to train or validate on.
  case unusableSplit(part: String, reason: String)
  /// An option has a value that cannot be used.
  case invalidOption(name: String, value: String, expected: String)
  /// The feature cache cannot be written.
  case cacheFailed(path: String, reason: String)
  /// A triage output file cannot be read or appended to.
  case outputFailed(path: String, reason: String)

  public var description: String {
    switch self {
    case .invalidManifest(let path, let line, let reason):
      let place = line > 0 ? "\(path):\(line)" : path
      return "\(place): invalid cohort manifest: \(reason)"
    case .missingColumn(let path, let column, let found):
      return "\(path): the cohort manifest has no '\(column)' column"
        + " (found: \(found.joined(separator: ", "))); add it to the header"
    case .missingCase(let path, let caseName, let folder):
      return "\(path): case '\(caseName)' has no images in '\(folder)';"
        + " check the case column or add a path column"
    case .unreadableImage(let path, let reason):
      return "\(path): cannot read the image: \(reason)"
    case .unusableSplit(let part, let reason):
      return "the \(part) split cannot be used: \(reason)"
    case .invalidOption(let name, let value, let expected):
      return "invalid value '\(value)' for \(name): expected \(expected)"
    case .cacheFailed(let path, let reason):
      return "\(path): cannot write the feature cache: \(reason);"
        + " choose another folder with --cache"
    case .outputFailed(let path, let reason):
      return "\(path): cannot use the output file: \(reason)"
    }
  }
}
