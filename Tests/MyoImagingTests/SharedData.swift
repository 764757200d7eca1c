import Foundation

/// Locates the real scans kept beside the checkout in `../shared/data`.
enum SharedData {
  /// The package root: three levels above this file.
  static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The folder of real scans: `../shared/data` beside the package root,
  /// or the folder named by MYOSCOPE_SHARED_DATA when that is set (for a
  /// checkout that does not sit beside the data).
  static let folder: URL = {
    if let custom = ProcessInfo.processInfo.environment["MYOSCOPE_SHARED_DATA"],
      !custom.isEmpty
    {
      return URL(fileURLWithPath: custom)
    }
    return packageRoot.deletingLastPathComponent()
      .appendingPathComponent("shared/data")
  }()

  /// The path of a file under the folder, or nil when it is absent.
  static func path(_ relative: String) -> String? {
    let url = folder.appendingPathComponent(relative)
    return FileManager.default.fileExists(atPath: url.path) ? url.path : nil
  }

  /// The message of a test skipped because the folder is absent.
  static func missing(_ relative: String) -> String {
    "skipped: \(folder.path)/\(relative) is absent;"
      + " set MYOSCOPE_SHARED_DATA to the folder of real scans"
  }
}
