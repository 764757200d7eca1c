import Foundation

/// The figures of one training epoch.
public struct EpochReport: Sendable, Equatable {
  /// The epoch, from 1.
  public var epoch: Int
  /// The epoch limit.
  public var maxEpochs: Int
  /// Mean loss over the epoch's batches (class-weighted when weights are
  /// set).
  public var trainingLoss: Double
  /// Share of training images on the right side of 0.5 during the epoch.
  public var trainingAccuracy: Double
  /// Unweighted mean loss on the validation images after the epoch, nil
  /// without validation images.
  public var validationLoss: Double?
  /// Validation accuracy at probability 0.5, nil without validation.
  public var validationAccuracy: Double?
  /// Whether this epoch set a new lowest validation loss.
  public var isBest: Bool
}

/// A trained head and how it got there.
public struct HeadTrainingResult: Sendable {
  /// The layers on raw pooled features, standardization folded in.
  public var layers: [Dense]
  /// One report per epoch run.
  public var history: [EpochReport]
  /// The epoch whose weights were kept.
  public var bestEpoch: Int
  /// Whether training stopped before the epoch limit.
  public var stoppedEarly: Bool
  /// The kept head on standardized features, and the standardization,
  /// for fine-tuning.
  var standardizedHead: TrainableHead
  var mean: [Float]
  var std: [Float]
}

/// Fits the head on pooled features with binary cross-entropy, stopping
/// early on the validation loss.
///
/// Features are standardized with the training set's mean and standard
/// deviation per channel (a constant channel keeps deviation 1), which
/// lets one learning rate suit backbones of any activation scale; the
/// exported first layer absorbs the standardization, so the bundle's head
/// reads raw features.
public enum HeadTrainer {
  /// Trains a head. `progress` receives each epoch's report.
  public static func train(
    training: LabelledFeatures, validation: LabelledFeatures,
    options: HeadOptions, progress: (EpochReport) -> Void = { _ in }
  ) throws -> HeadTrainingResult {
    try options.validate()
    let positives = training.labels.filter { $0 }.count
    guard positives > 0, positives < training.count else {
      throw TrainingError.unusableSplit(
        part: "training",
        reason: "it has \(positives) positive and \(training.count - positives)"
          + " negative images; both classes are needed")
    }
    let channels = training.channels
    let (mean, std) = statistics(training)
    let trainingInput = standardized(training, mean: mean, std: std)
    let validationInput = standardized(validation, mean: mean, std: std)
    let weights = classWeights(options.classWeights, training.labels)

    var head = TrainableHead(inputs: channels, hidden: options.hiddenUnits, seed: options.seed)
    var best = head
    var bestLoss = Double.infinity
    var bestEpoch = 0
    var sinceBest = 0
    var history: [EpochReport] = []
    var random = SplitMix64(seed: options.seed ^ 0x5348_5546_464C_4500)
    var order = Array(0..<training.count)

    for epoch in 1...options.maxEpochs {
      CohortSplit.shuffle(&order, with: &random)
      var lossSum = 0.0
      var correct = 0
      var start = 0
      while start < order.count {
        let indices = Array(order[start..<min(start + options.batchSize, order.count)])
        start += indices.count
        let batch = indices.count
        var x = [Float](repeating: 0, count: batch * channels)
        for (row, index) in indices.enumerated() {
          for c in 0..<channels {
            x[row * channels + c] = trainingInput[index * channels + c]
          }
        }
        let outputs = head.forward(x, batch: batch)
        let logits = outputs[outputs.count - 1]
        var gradient = [Float](repeating: 0, count: batch)
        for (row, index) in indices.enumerated() {
          let label = training.labels[index]
          let weight = label ? weights.positive : weights.negative
          let z = Double(logits[row])
          lossSum += weight * crossEntropy(logit: z, label: label)
          if (z >= 0) == label { correct += 1 }
          gradient[row] = Float(weight * (sigmoid(z) - (label ? 1 : 0)) / Double(batch))
        }
        head.backward(input: x, outputs: outputs, logitGradient: gradient, batch: batch)
        head.update(options)
      }

      var report = EpochReport(
        epoch: epoch, maxEpochs: options.maxEpochs,
        trainingLoss: lossSum / Double(training.count),
        trainingAccuracy: Double(correct) / Double(training.count),
        validationLoss: nil, validationAccuracy: nil, isBest: false)
      if validation.count > 0 {
        let scored = evaluate(head, validationInput, labels: validation.labels)
        report.validationLoss = scored.loss
        report.validationAccuracy = scored.accuracy
        if scored.loss < bestLoss {
          bestLoss = scored.loss
          best = head
          bestEpoch = epoch
          sinceBest = 0
          report.isBest = true
        } else {
          sinceBest += 1
        }
      } else {
        best = head
        bestEpoch = epoch
        report.isBest = true
      }
      history.append(report)
      progress(report)
      if sinceBest >= options.patience { break }
    }
    return HeadTrainingResult(
      layers: best.exported(mean: mean, std: std), history: history,
      bestEpoch: bestEpoch, stoppedEarly: history.count < options.maxEpochs,
      standardizedHead: best, mean: mean, std: std)
  }

  /// Mean unweighted loss and accuracy of a head on standardized inputs.
  static func evaluate(
    _ head: TrainableHead, _ input: [Float], labels: [Bool]
  ) -> (loss: Double, accuracy: Double) {
    guard !labels.isEmpty else { return (0, 0) }
    let outputs = head.forward(input, batch: labels.count)
    let logits = outputs[outputs.count - 1]
    var loss = 0.0
    var correct = 0
    for (index, label) in labels.enumerated() {
      let z = Double(logits[index])
      loss += crossEntropy(logit: z, label: label)
      if (z >= 0) == label { correct += 1 }
    }
    return (loss / Double(labels.count), Double(correct) / Double(labels.count))
  }

  /// Binary cross-entropy of a logit, `softplus(z) - y z`, written so that
  /// it neither overflows nor loses precision for large |z|.
  static func crossEntropy(logit z: Double, label: Bool) -> Double {
    max(z, 0) - (label ? z : 0) + log1p(exp(-abs(z)))
  }

  static func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

  /// The per-channel mean and standard deviation (population) of a set.
  static func statistics(_ set: LabelledFeatures) -> (mean: [Float], std: [Float]) {
    let channels = set.channels
    var sum = [Double](repeating: 0, count: channels)
    var squares = [Double](repeating: 0, count: channels)
    for row in 0..<set.count {
      for c in 0..<channels {
        let value = Double(set.values[row * channels + c])
        sum[c] += value
        squares[c] += value * value
      }
    }
    let n = Double(max(set.count, 1))
    var mean = [Float](repeating: 0, count: channels)
    var std = [Float](repeating: 1, count: channels)
    for c in 0..<channels {
      let m = sum[c] / n
      let variance = max(squares[c] / n - m * m, 0)
      mean[c] = Float(m)
      let deviation = variance.squareRoot()
      // A channel that is (nearly) constant carries no information, and
      // dividing by its deviation would only amplify rounding.
      std[c] = deviation > 1e-6 * max(abs(m), 1) ? Float(deviation) : 1
    }
    return (mean, std)
  }

  static func standardized(
    _ set: LabelledFeatures, mean: [Float], std: [Float]
  ) -> [Float] {
    var values = set.values
    let channels = set.channels
    for row in 0..<set.count {
      for c in 0..<channels {
        values[row * channels + c] = (values[row * channels + c] - mean[c]) / std[c]
      }
    }
    return values
  }

  /// The loss weights of the negative and the positive class.
  static func classWeights(
    _ choice: HeadOptions.ClassWeights, _ labels: [Bool]
  ) -> (negative: Double, positive: Double) {
    switch choice {
    case .none:
      return (1, 1)
    case .balanced:
      let positives = Double(labels.filter { $0 }.count)
      let negatives = Double(labels.count) - positives
      let total = Double(labels.count)
      return (total / (2 * negatives), total / (2 * positives))
    case .fixed(let negative, let positive):
      return (negative, positive)
    }
  }
}
