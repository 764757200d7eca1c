import Foundation
import Testing

@testable import MyoNeural

@Suite("Head training")
struct TrainingHeadTests {
  /// Two Gaussian classes in `channels` dimensions whose means differ by
  /// `gap` along the first two channels, with a large offset and scale
  /// on the others that standardization must absorb.
  static func blobs(
    count: Int, channels: Int = 12, gap: Double = 3, seed: UInt64 = 5
  ) -> LabelledFeatures {
    var random = SplitMix64(seed: seed)
    var set = LabelledFeatures(channels: channels)
    for index in 0..<count {
      let label = index % 2 == 0
      let vector = (0..<channels).map { c -> Float in
        let noise = random.nextNormal()
        let shift = c < 2 ? (label ? gap / 2 : -gap / 2) : 0
        return Float(c < 2 ? noise + shift : 50 + 20 * noise)
      }
      set.append(vector, label: label)
    }
    return set
  }

  @Test("training loss falls")
  func lossFalls() throws {
    var options = HeadOptions()
    options.hiddenUnits = [8]
    options.learningRate = 0.05
    options.momentum = 0.9
    options.maxEpochs = 30
    let result = try HeadTrainer.train(
      training: Self.blobs(count: 200), validation: Self.blobs(count: 80, seed: 6),
      options: options)
    let first = try #require(result.history.first)
    let last = try #require(result.history.last)
    #expect(last.trainingLoss < first.trainingLoss * 0.7)
    #expect((last.validationAccuracy ?? 0) >= 0.9)
  }

  @Test("Adam with weight decay and class weights learns")
  func adam() throws {
    var options = HeadOptions()
    options.optimizer = .adam
    options.learningRate = 0.01
    options.weightDecay = 1e-3
    options.classWeights = .balanced
    options.maxEpochs = 40
    let result = try HeadTrainer.train(
      training: Self.blobs(count: 120), validation: Self.blobs(count: 60, seed: 8),
      options: options)
    let best = try #require(result.history.first { $0.epoch == result.bestEpoch })
    #expect((best.validationAccuracy ?? 0) >= 0.9)
  }

  @Test("same seed, same head")
  func deterministic() throws {
    var options = HeadOptions()
    options.learningRate = 0.01
    options.maxEpochs = 5
    let data = Self.blobs(count: 64)
    let a = try HeadTrainer.train(training: data, validation: data, options: options)
    let b = try HeadTrainer.train(training: data, validation: data, options: options)
    options.seed = 2
    let c = try HeadTrainer.train(training: data, validation: data, options: options)
    #expect(a.layers == b.layers)
    #expect(a.layers != c.layers)
  }

  @Test("early stopping keeps the best epoch")
  func earlyStopping() throws {
    // Validation labels are the training labels flipped, so the
    // validation loss rises from the first epoch on.
    let training = Self.blobs(count: 100)
    var flipped = LabelledFeatures(channels: training.channels)
    for index in 0..<training.count {
      flipped.append(Array(training.vector(index)), label: !training.labels[index])
    }
    var options = HeadOptions()
    options.learningRate = 0.05
    options.maxEpochs = 50
    options.patience = 3
    let result = try HeadTrainer.train(training: training, validation: flipped, options: options)
    #expect(result.stoppedEarly)
    #expect(result.bestEpoch == 1)
    #expect(result.history.count == 4)
  }

  @Test("folded standardization matches the trained head")
  func folding() throws {
    let data = Self.blobs(count: 40)
    let head = TrainableHead(inputs: data.channels, hidden: [5, 3], seed: 4)
    let (mean, std) = HeadTrainer.statistics(data)
    let standardized = HeadTrainer.standardized(data, mean: mean, std: std)
    let outputs = head.forward(standardized, batch: data.count)
    let logits = outputs[outputs.count - 1]
    let exported = Head(layers: head.exported(mean: mean, std: std))
    for index in 0..<data.count {
      let raw = Array(data.vector(index))
      let logit = exported.logitAndGradient(raw).logit
      #expect(abs(logit - Double(logits[index])) < 1e-3 * max(1, abs(logit)))
    }
  }

  @Test("backward pass matches finite differences")
  func gradients() {
    let data = Self.blobs(count: 6, channels: 4)
    var head = TrainableHead(inputs: 4, hidden: [3], seed: 11)
    func loss(_ head: TrainableHead) -> Double {
      let outputs = head.forward(data.values, batch: data.count)
      let logits = outputs[outputs.count - 1]
      return zip(logits, data.labels).map {
        HeadTrainer.crossEntropy(logit: Double($0), label: $1)
      }.reduce(0, +) / Double(data.count)
    }
    let outputs = head.forward(data.values, batch: data.count)
    let logits = outputs[outputs.count - 1]
    let upstream = zip(logits, data.labels).map {
      Float((HeadTrainer.sigmoid(Double($0)) - ($1 ? 1 : 0)) / Double(data.count))
    }
    head.backward(input: data.values, outputs: outputs, logitGradient: upstream, batch: data.count)
    let step: Float = 1e-2
    for layer in head.layers.indices {
      for index in head.layers[layer].weight.indices {
        var plus = head
        plus.layers[layer].weight[index] += step
        var minus = head
        minus.layers[layer].weight[index] -= step
        let numeric = (loss(plus) - loss(minus)) / (2 * Double(step))
        let analytic = Double(head.layers[layer].weightGradient[index])
        #expect(abs(numeric - analytic) < 2e-3, "layer \(layer) weight \(index)")
      }
    }
  }

  @Test("balanced class weights")
  func balancedWeights() {
    let labels = [true, false, false, false]
    let weights = HeadTrainer.classWeights(.balanced, labels)
    #expect(weights.negative == 4.0 / 6.0)
    #expect(weights.positive == 2.0)
  }

  @Test("one class in training is rejected")
  func oneClass() {
    var set = LabelledFeatures(channels: 2)
    set.append([1, 2], label: true)
    set.append([2, 3], label: true)
    #expect(throws: TrainingError.self) {
      try HeadTrainer.train(training: set, validation: set, options: HeadOptions())
    }
  }
}
