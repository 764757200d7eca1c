/// A named weight tensor in float32, row-major, as read from a file.
public struct Tensor: Sendable, Equatable {
  /// The dimensions, outermost first, as in the file (PyTorch layout for
  /// convolutions: `[out, in, kh, kw]`).
  public var shape: [Int]
  /// The values, `shape.reduce(1, *)` of them.
  public var values: [Float]

  /// Creates a tensor; the value count must match the shape.
  public init(shape: [Int], values: [Float]) {
    precondition(
      shape.reduce(1, *) == values.count,
      "Tensor: \(values.count) values for shape \(shape)")
    self.shape = shape
    self.values = values
  }

  /// The shape written as `[2048, 512, 1, 1]`.
  public var shapeText: String { Tensor.describe(shape) }

  /// Writes a shape as `[2048, 512, 1, 1]`.
  public static func describe(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
  }
}
