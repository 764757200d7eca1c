/// A file of named tensors in torchvision names and PyTorch layouts.
///
/// Readers of other formats (Keras HDF5) translate names and layouts so
/// that the network loader sees one naming scheme.
public protocol WeightSource {
  /// The file the tensors come from, for messages.
  var path: String { get }
  /// Every tensor key in the file.
  var keys: [String] { get }
  /// The shape of a tensor, or nil when the file does not hold it.
  func shape(of key: String) -> [Int]?
  /// Reads a tensor as float32.
  func read(_ key: String) throws -> Tensor
}

extension WeightSource {
  /// Reads a tensor after checking that it exists and has `shape`.
  func read(_ key: String, shape expected: [Int]) throws -> Tensor {
    guard let found = shape(of: key) else {
      throw NeuralError.missingTensor(path: path, key: key, expected: expected)
    }
    guard found == expected else {
      throw NeuralError.shapeMismatch(
        path: path, key: key, expected: expected, found: found)
    }
    return try read(key)
  }
}
