import Foundation

/// The name and demo label of a model bundle whose output a store holds,
/// in the `model_bundles` table of the study store and of the coordinator
/// file.
public struct ModelBundleLabel: Sendable, Equatable {
  /// The bundle's SHA-256.
  public var hash: String
  /// The bundle's name.
  public var name: String
  /// The bundle's demo label, set when the bundle is a demo.
  public var demoLabel: String?

  /// Creates a label.
  public init(hash: String, name: String, demoLabel: String?) {
    self.hash = hash
    self.name = name
    self.demoLabel = demoLabel
  }

  /// The text screens and reports show: the name, and the demo label when
  /// there is one.
  public var text: String {
    demoLabel.map { "\(name) (\($0))" } ?? name
  }

  /// Stores or replaces the label of `hash`.
  func record(in database: SQLiteDatabase) throws {
    try database.query(
      "INSERT OR REPLACE INTO model_bundles (hash, name, demo_label) VALUES (?, ?, ?)",
      [.text(hash), .text(name), demoLabel.map { .text($0) } ?? .null])
  }

  /// Reads the label of `hash`; nil when the store has none, including a
  /// store made before bundles were recorded.
  static func read(hash: String, from database: SQLiteDatabase) -> ModelBundleLabel? {
    guard
      let row = try? database.query(
        "SELECT * FROM model_bundles WHERE hash = ?", [.text(hash)]
      ).first,
      let name = row["name"].string
    else { return nil }
    return ModelBundleLabel(hash: hash, name: name, demoLabel: row["demo_label"].string)
  }
}

extension StudyStore {
  /// Records the label of a bundle whose output readers see.
  public func recordBundle(_ label: ModelBundleLabel) throws {
    try label.record(in: database)
  }

  /// Returns the label of the bundle with `hash`, or nil when none is recorded.
  public func bundleLabel(hash: String) -> ModelBundleLabel? {
    ModelBundleLabel.read(hash: hash, from: database)
  }
}

extension CoordinatorStore {
  /// Records the label of a bundle with predictions.
  public func recordBundle(_ label: ModelBundleLabel) throws {
    try label.record(in: database)
  }

  /// Returns the label of the bundle with `hash`, or nil when none is recorded.
  public func bundleLabel(hash: String) -> ModelBundleLabel? {
    ModelBundleLabel.read(hash: hash, from: database)
  }
}
