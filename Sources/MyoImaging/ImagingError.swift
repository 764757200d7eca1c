/// Errors raised while reading or writing images. Each names the file and,
/// where it applies, the field, the byte offset, what was expected and what
/// was found.
public enum ImagingError: Error, Equatable, CustomStringConvertible {
  /// The file could not be opened or read.
  case unreadable(path: String, reason: String)
  /// The file is of a format myoscope does not read.
  case unsupported(path: String, found: String)
  /// The file ends before a field that its header announces.
  case truncated(path: String, offset: Int, expected: String)
  /// A header field has a value that cannot be right.
  case invalidField(
    path: String, field: String, value: String, expected: String,
    offset: Int? = nil)
  /// A decoder or encoder of a C library failed.
  case codecFailed(path: String, codec: String, message: String)

  /// The path of the file the error is about.
  public var path: String {
    switch self {
    case .unreadable(let path, _), .unsupported(let path, _),
      .truncated(let path, _, _), .invalidField(let path, _, _, _, _),
      .codecFailed(let path, _, _):
      return path
    }
  }

  public var description: String {
    switch self {
    case .unreadable(let path, let reason):
      return "\(path): cannot read the file: \(reason)"
    case .unsupported(let path, let found):
      return "\(path): unsupported file: found \(found);"
        + " myoscope reads DICOM, NIfTI (.nii, .nii.gz) and PNG"
    case .truncated(let path, let offset, let expected):
      return "\(path): file truncated at byte \(offset):"
        + " expected \(expected); the file may be incomplete,"
        + " copy it again from its source"
    case .invalidField(let path, let field, let value, let expected, let offset):
      let place = offset.map { " at byte \($0)" } ?? ""
      return "\(path): invalid \(field) '\(value)'\(place):"
        + " expected \(expected)"
    case .codecFailed(let path, let codec, let message):
      return "\(path): \(codec) failed: \(message)"
    }
  }
}
