/// Errors raised while loading weights and bundles or running the network.
/// Each names the file and the tensor key or field it is about, what was
/// expected and what was found.
public enum NeuralError: Error, Equatable, CustomStringConvertible {
  /// The file could not be opened or read.
  case unreadable(path: String, reason: String)
  /// The file's structure is wrong at a byte offset or in a field.
  case invalidFile(path: String, field: String, found: String, expected: String)
  /// A tensor the network needs is absent from the file.
  case missingTensor(path: String, key: String, expected: [Int])
  /// The file contains a tensor the network does not use.
  case unexpectedTensor(path: String, key: String, found: [Int])
  /// A tensor has the wrong shape.
  case shapeMismatch(path: String, key: String, expected: [Int], found: [Int])
  /// A tensor is stored in a type the reader does not convert.
  case unsupportedType(path: String, key: String, found: String)
  /// A bundle field has a value that cannot be used.
  case invalidBundle(
    path: String, field: String, value: String, expected: String)
  /// A linked backbone file does not have the hash the bundle records.
  case hashMismatch(path: String, expected: String, found: String)
  /// The bundle has no trained head, so it cannot classify.
  case missingHead(path: String)
  /// An HDF5 call failed.
  case hdf5(path: String, operation: String)
  /// An input image cannot be classified.
  case invalidInput(reason: String)
  /// The caller cancelled the run.
  case cancelled

  public var description: String {
    switch self {
    case .unreadable(let path, let reason):
      return "\(path): cannot read the file: \(reason)"
    case .invalidFile(let path, let field, let found, let expected):
      return "\(path): invalid \(field): found \(found), expected \(expected)"
    case .missingTensor(let path, let key, let expected):
      return "\(path): missing tensor '\(key)' of shape"
        + " \(Tensor.describe(expected)); check that the file holds a"
        + " ResNet50 of the named variant"
    case .unexpectedTensor(let path, let key, let found):
      return "\(path): unexpected tensor '\(key)' of shape"
        + " \(Tensor.describe(found)); the file is not a plain ResNet50"
    case .shapeMismatch(let path, let key, let expected, let found):
      return "\(path): tensor '\(key)' has shape \(Tensor.describe(found)),"
        + " expected \(Tensor.describe(expected))"
    case .unsupportedType(let path, let key, let found):
      return "\(path): tensor '\(key)' has type \(found);"
        + " expected F32, F16 or BF16"
    case .invalidBundle(let path, let field, let value, let expected):
      return "\(path): invalid bundle field '\(field)' = '\(value)':"
        + " expected \(expected)"
    case .hashMismatch(let path, let expected, let found):
      return "\(path): SHA-256 is \(found), but the bundle expects"
        + " \(expected); import the backbone again"
    case .missingHead(let path):
      return "\(path): the bundle has no trained classification head;"
        + " import a model that includes its head"
    case .hdf5(let path, let operation):
      return "\(path): HDF5 failed to \(operation)"
    case .invalidInput(let reason):
      return "invalid input: \(reason)"
    case .cancelled:
      return "cancelled"
    }
  }
}
