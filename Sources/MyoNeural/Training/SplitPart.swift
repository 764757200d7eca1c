/// One part of a split by case.
public enum SplitPart: String, Sendable, Codable, CaseIterable {
  /// Cases the head is fitted on.
  case training = "train"
  /// Cases for early stopping and model choice.
  case validation
  /// Held-out cases for the final evaluation.
  case test

  /// Reads a manifest or command-line name: train, training, validation,
  /// val, valid, test (any case).
  public init?(parsing text: String) {
    switch text.lowercased() {
    case "train", "training": self = .training
    case "validation", "val", "valid": self = .validation
    case "test", "testing": self = .test
    default: return nil
    }
  }
}
