/// A fully connected layer, `y = W x + b`, with PyTorch's weight layout.
public struct Dense: Sendable, Equatable {
  /// Weights `[outputs, inputs]`.
  public var weight: [Float]
  /// Biases `[outputs]`.
  public var bias: [Float]
  /// Input features.
  public let inputs: Int
  /// Output features.
  public let outputs: Int

  /// Creates a layer from a `[outputs, inputs]` weight and its bias.
  public init(weight: Tensor, bias: Tensor, name: String) throws {
    guard weight.shape.count == 2 else {
      throw NeuralError.invalidInput(
        reason: "\(name).weight has shape \(weight.shapeText),"
          + " expected [outputs, inputs]")
    }
    guard bias.shape == [weight.shape[0]] else {
      throw NeuralError.invalidInput(
        reason: "\(name).bias has shape \(bias.shapeText),"
          + " expected [\(weight.shape[0])]")
    }
    self.weight = weight.values
    self.bias = bias.values
    self.outputs = weight.shape[0]
    self.inputs = weight.shape[1]
  }

  /// Applies the layer to one feature vector `[inputs]`; returns
  /// `[outputs]`.
  public func apply(_ x: [Float]) -> [Float] {
    precondition(
      x.count == inputs, "dense: \(x.count) inputs, expected \(inputs)")
    var y = bias
    for o in 0..<outputs {
      var sum: Float = 0
      let row = o * inputs
      for i in 0..<inputs { sum += weight[row + i] * x[i] }
      y[o] += sum
    }
    return y
  }
}
