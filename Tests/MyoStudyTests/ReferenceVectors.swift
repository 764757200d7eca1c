import Foundation
import Testing

/// Locates reference data for the statistics tests.
enum ReferenceVectors {
  /// The package root, found from this file's path.
  static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The shared folder: `../shared` beside the package root, or the folder
  /// named by MYOSCOPE_SHARED when a checkout lives elsewhere.
  static var sharedFolder: URL {
    if let path = ProcessInfo.processInfo.environment["MYOSCOPE_SHARED"] {
      return URL(fileURLWithPath: path)
    }
    return packageRoot.appendingPathComponent("../shared")
  }

  /// The shared reference vectors computed with R and statsmodels; nil
  /// when that folder is absent.
  static func shared() throws -> [String: Any]? {
    let url = sharedFolder.appendingPathComponent("vectors/statistics.json")
    guard FileManager.default.fileExists(atPath: url.path) else { return nil }
    return try load(url)
  }

  /// The fixture written by scripts/reference/statistics_reference.py.
  static func fixture() throws -> [String: Any] {
    try load(
      packageRoot.appendingPathComponent(
        "Tests/MyoStudyTests/Fixtures/statistics_reference.json"))
  }

  static func load(_ url: URL) throws -> [String: Any] {
    let data = try Data(contentsOf: url)
    return try #require(
      JSONSerialization.jsonObject(with: data) as? [String: Any])
  }
}

/// Compares to 1e-8 relative, or 1e-12 absolute where the expected value is
/// zero.
func close(_ actual: Double?, _ expected: Double, tolerance: Double = 1e-8)
  -> Bool
{
  guard let actual else { return false }
  if expected == 0 { return abs(actual) < 1e-12 }
  return abs(actual - expected) <= tolerance * abs(expected)
}

/// Reads a JSON number, or a string such as "NaN" or "Infinity".
func number(_ value: Any?) -> Double? {
  if let n = value as? NSNumber { return n.doubleValue }
  if let s = value as? String { return Double(s) }
  return nil
}

extension Dictionary where Key == String, Value == Any {
  /// The nested dictionary at `key`.
  func object(_ key: String) throws -> [String: Any] {
    try #require(self[key] as? [String: Any], "missing object '\(key)'")
  }

  /// The number at `key`.
  func double(_ key: String) throws -> Double {
    try #require(number(self[key]), "missing number '\(key)'")
  }

  /// The pair of numbers at `key`.
  func pair(_ key: String) throws -> (Double, Double) {
    let array = try #require(self[key] as? [Any], "missing pair '\(key)'")
    return (
      try #require(number(array[0])), try #require(number(array[1]))
    )
  }

  /// The integer array at `key`.
  func integers(_ key: String) throws -> [Int] {
    try #require(self[key] as? [Int], "missing integer list '\(key)'")
  }
}
