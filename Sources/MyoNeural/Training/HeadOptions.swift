/// Hyperparameters of the head. The defaults are the study's: stochastic
/// gradient descent, learning rate 1e-4, batch size 32, binary
/// cross-entropy, training until the validation loss stops falling.
public struct HeadOptions: Sendable, Equatable {
  /// The update rule.
  public enum Optimizer: String, Sendable, CaseIterable {
    /// Stochastic gradient descent, with optional momentum.
    case sgd
    /// Adam (Kingma and Ba 2015), beta1 0.9, beta2 0.999, epsilon 1e-7
    /// as in Keras.
    case adam
  }

  /// How the two classes weigh in the loss.
  public enum ClassWeights: Sendable, Equatable {
    /// Every image weighs 1.
    case none
    /// Each class weighs total / (2 * class count), as scikit-learn's
    /// "balanced".
    case balanced
    /// Fixed weights for the negative and the positive class.
    case fixed(negative: Double, positive: Double)
  }

  /// Units of each hidden dense layer (ReLU), in order; empty for a head
  /// that is one dense layer on the pooled features.
  public var hiddenUnits: [Int] = [256]
  /// The update rule.
  public var optimizer: Optimizer = .sgd
  /// Step size.
  public var learningRate: Double = 1e-4
  /// SGD momentum (0 for plain SGD); ignored by Adam.
  public var momentum: Double = 0
  /// L2 weight decay on the dense weights (not the biases): added to the
  /// gradient for SGD, applied decoupled from the gradient (AdamW) for
  /// Adam.
  public var weightDecay: Double = 0
  /// Images per update.
  public var batchSize: Int = 32
  /// Upper limit of the epochs.
  public var maxEpochs: Int = 200
  /// Epochs without a lower validation loss before training stops; the
  /// weights of the best epoch are kept.
  public var patience: Int = 10
  /// Class weighting of the loss.
  public var classWeights: ClassWeights = .none
  /// Seed of the weight initialization and of the batch order.
  public var seed: UInt64 = 1

  /// Creates the study's defaults.
  public init() {}

  /// Checks every value and names the first bad one.
  public func validate() throws {
    func check(_ ok: Bool, _ name: String, _ value: String, _ expected: String) throws {
      if !ok {
        throw TrainingError.invalidOption(name: name, value: value, expected: expected)
      }
    }
    try check(
      hiddenUnits.allSatisfy { (1...65_536).contains($0) }, "--hidden",
      hiddenUnits.map(String.init).joined(separator: ","), "units from 1 to 65536")
    try check(
      learningRate > 0 && learningRate.isFinite, "--learning-rate", "\(learningRate)",
      "a positive number")
    try check(
      (0..<1).contains(momentum), "--momentum", "\(momentum)", "a number from 0 to below 1")
    try check(
      weightDecay >= 0 && weightDecay.isFinite, "--weight-decay", "\(weightDecay)",
      "0 or a positive number")
    try check(
      (1...65_536).contains(batchSize), "--batch-size", "\(batchSize)", "1 to 65536")
    try check((1...100_000).contains(maxEpochs), "--epochs", "\(maxEpochs)", "1 to 100000")
    try check((1...100_000).contains(patience), "--patience", "\(patience)", "1 to 100000")
    if case .fixed(let negative, let positive) = classWeights {
      try check(
        negative > 0 && positive > 0 && negative.isFinite && positive.isFinite,
        "--class-weights", "\(negative),\(positive)", "two positive numbers")
    }
  }

  /// The options as name and value pairs for the bundle.
  var record: [String: String] {
    var weights = "none"
    switch classWeights {
    case .none: break
    case .balanced: weights = "balanced"
    case .fixed(let negative, let positive): weights = "\(negative),\(positive)"
    }
    return [
      "hidden": hiddenUnits.isEmpty ? "none" : hiddenUnits.map(String.init).joined(separator: ","),
      "optimizer": optimizer.rawValue, "learningRate": "\(learningRate)",
      "momentum": "\(momentum)", "weightDecay": "\(weightDecay)",
      "batchSize": "\(batchSize)", "maxEpochs": "\(maxEpochs)",
      "patience": "\(patience)", "classWeights": weights, "seed": "\(seed)",
      "loss": "binary cross-entropy",
    ]
  }
}
