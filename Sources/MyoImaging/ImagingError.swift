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
  /// The path is a device, a FIFO or a socket, as `kind` names.
  case notRegularFile(path: String, kind: String)
  /// The path is a folder where one file was needed.
  case isFolder(path: String)
  /// The file is larger than the largest file myoscope reads.
  case tooLarge(path: String, size: Int64, limit: Int64)
  /// A folder contains no image files.
  case noImages(path: String)

  /// The path of the file the error is about.
  public var path: String {
    switch self {
    case .unreadable(let path, _), .unsupported(let path, _),
      .truncated(let path, _, _), .invalidField(let path, _, _, _, _),
      .codecFailed(let path, _, _), .notRegularFile(let path, _),
      .isFolder(let path), .tooLarge(let path, _, _), .noImages(let path):
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
    case .notRegularFile(let path, let kind):
      return "\(path) is not a regular file (\(kind));"
        + " myoscope reads DICOM, NIfTI and PNG files"
    case .isFolder(let path):
      return "\(path) is a folder where one image file was expected;"
        + " give a DICOM, NIfTI or PNG file inside it"
    case .tooLarge(let path, let size, let limit):
      return "\(path): the file is \(size) bytes, larger than the"
        + " \(limit >> 30) GiB (\(limit) bytes) myoscope reads;"
        + " check that this is an image file"
    case .noImages(let path):
      return "no images found in \(path); expected DICOM, NIfTI or PNG"
        + " files or folders of them"
    }
  }
}
