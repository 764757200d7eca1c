/// Errors raised while writing a phantom cohort.
public enum PhantomError: Error, Equatable, CustomStringConvertible {
  /// A folder could not be created.
  case folderNotCreated(path: String, reason: String)
  /// A file could not be written.
  case fileNotWritten(path: String, bytes: Int)

  public var description: String {
    switch self {
    case .folderNotCreated(let path, let reason):
      return "\(path): cannot create the folder (\(reason));"
        + " choose an --out folder that can be created and written"
    case .fileNotWritten(let path, let bytes):
      return "\(path): cannot write \(bytes) bytes;"
        + " check that the folder is writable and the disk is not full"
    }
  }
}
