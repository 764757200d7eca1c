import Foundation

/// Options of fine-tuning the last ResNet stage.
public struct FineTuneOptions: Sendable, Equatable {
  /// Epochs of joint training of the last stage and the head.
  public var epochs = 10
  /// Step size of the joint training, for the stage and the head.
  public var learningRate = 1e-5
  /// Epochs without a lower validation loss before stopping.
  public var patience = 3

  /// Creates the defaults.
  public init() {}
}

/// Fine-tunes the last ResNet stage together with the trained head by
/// backpropagation, on the images' inputs to that stage, which the frozen
/// earlier stages compute once.
///
/// Batch normalization stays folded into the convolutions (inference
/// mode), so the stage trains its folded weights and biases. The head
/// keeps the feature standardization it was trained with.
enum FineTuner {
  /// One image's input to the last stage with its label.
  struct Sample {
    /// `[side, side, channels]`
    var input: [Float]
    var side: Int
    var label: Bool
  }

  /// The fine-tuned stage and head with their history.
  struct Result {
    var stage: TrainableStage
    var head: TrainableHead
    var history: [EpochReport]
    var bestEpoch: Int
  }

  /// Runs the frozen part of the network (the stem and every stage but
  /// the last) on one preprocessed image `[size, size, 3]`.
  static func stageInput(_ network: ResNet50, _ image: [Float], size: Int) -> ([Float], Int) {
    let space = network.workspace(batch: 1, size: size)
    image.withUnsafeBufferPointer { source in
      space.input.pointer.update(from: source.baseAddress!, count: image.count)
    }
    var current = space.main.0.pointer
    var spare = space.main.1.pointer
    network.stem.forward(
      input: space.input.pointer, n: 1, height: size, width: size, output: spare,
      scratch: space.scratch, accumulate: false,
      epilogue: .biasReLU(network.stem.bias.pointer))
    var side = network.stem.outputSize(size)
    MaxPool.forward(
      input: spare, n: 1, height: side, width: side, channels: network.stem.outChannels,
      output: current)
    side = MaxPool.outputSize(side)
    let frozen = network.blocks.count - (network.config.blocks.last ?? 0)
    var channels = network.stem.outChannels
    for block in network.blocks.prefix(frozen) {
      let output = block.forward(
        input: current, n: 1, height: side, width: side, spare: spare, workspace: space)
      if output != current { swap(&current, &spare) }
      side = block.conv2.outputSize(block.conv1.outputSize(side))
      channels = block.conv3.outChannels
    }
    return (Array(UnsafeBufferPointer(start: current, count: side * side * channels)), side)
  }

  /// Trains the stage and the head jointly with early stopping on the
  /// validation loss; keeps the best epoch.
  static func run(
    network: ResNet50, head: TrainableHead, mean: [Float], std: [Float],
    training: [Sample], validation: [Sample], options: HeadOptions,
    fineTune: FineTuneOptions, progress: (EpochReport) -> Void
  ) -> Result {
    var stage = TrainableStage(network: network)
    var head = head
    var headOptions = options
    headOptions.learningRate = fineTune.learningRate
    let weights = HeadTrainer.classWeights(options.classWeights, training.map(\.label))
    var best = (stage, head)
    var bestLoss = validationLoss(stage, head, mean, std, validation) ?? .infinity
    var bestEpoch = 0
    var sinceBest = 0
    var history: [EpochReport] = []
    var random = SplitMix64(seed: options.seed ^ 0x4649_4E45_5455_4E45)
    var order = Array(training.indices)
    var step = 0

    for epoch in 1...fineTune.epochs {
      CohortSplit.shuffle(&order, with: &random)
      var lossSum = 0.0
      var correct = 0
      var start = 0
      while start < order.count {
        let indices = Array(order[start..<min(start + options.batchSize, order.count)])
        start += indices.count
        let batch = indices.count
        let channels = mean.count
        var x = [Float](repeating: 0, count: batch * channels)
        var traces: [[TrainableStage.BlockTrace]] = []
        var sides: [Int] = []
        for (row, index) in indices.enumerated() {
          let sample = training[index]
          let (pooled, trace, side) = stage.forward(sample.input, side: sample.side)
          for c in 0..<channels { x[row * channels + c] = (pooled[c] - mean[c]) / std[c] }
          traces.append(trace)
          sides.append(side)
        }
        let outputs = head.forward(x, batch: batch)
        let logits = outputs[outputs.count - 1]
        var gradient = [Float](repeating: 0, count: batch)
        for (row, index) in indices.enumerated() {
          let label = training[index].label
          let weight = label ? weights.positive : weights.negative
          let z = Double(logits[row])
          lossSum += weight * HeadTrainer.crossEntropy(logit: z, label: label)
          if (z >= 0) == label { correct += 1 }
          gradient[row] = Float(weight * (HeadTrainer.sigmoid(z) - (label ? 1 : 0)) / Double(batch))
        }
        let inputGradient = head.backward(
          input: x, outputs: outputs, logitGradient: gradient, batch: batch, inputGradient: true)
        for row in 0..<batch {
          let pooledGradient = (0..<channels).map { inputGradient[row * channels + $0] / std[$0] }
          stage.backward(pooledGradient, traces: traces[row], side: sides[row])
        }
        step += 1
        head.update(headOptions)
        stage.update(options, rate: Float(fineTune.learningRate), step: step, scale: 1)
      }

      var report = EpochReport(
        epoch: epoch, maxEpochs: fineTune.epochs,
        trainingLoss: lossSum / Double(max(training.count, 1)),
        trainingAccuracy: Double(correct) / Double(max(training.count, 1)),
        validationLoss: nil, validationAccuracy: nil, isBest: false)
      if let loss = validationLoss(stage, head, mean, std, validation) {
        report.validationLoss = loss
        report.validationAccuracy = validationAccuracy(stage, head, mean, std, validation)
        if loss < bestLoss {
          bestLoss = loss
          best = (stage, head)
          bestEpoch = epoch
          sinceBest = 0
          report.isBest = true
        } else {
          sinceBest += 1
        }
      } else {
        best = (stage, head)
        bestEpoch = epoch
        report.isBest = true
      }
      history.append(report)
      progress(report)
      if sinceBest >= fineTune.patience { break }
    }
    return Result(stage: best.0, head: best.1, history: history, bestEpoch: bestEpoch)
  }

  /// Computes the logits of samples through a stage and head.
  static func logits(
    _ stage: TrainableStage, _ head: TrainableHead, _ mean: [Float], _ std: [Float],
    _ samples: [Sample]
  ) -> [Double] {
    samples.map { sample in
      let pooled = stage.forward(sample.input, side: sample.side).pooled
      let x = pooled.indices.map { (pooled[$0] - mean[$0]) / std[$0] }
      let outputs = head.forward(x, batch: 1)
      return Double(outputs[outputs.count - 1][0])
    }
  }

  static func validationLoss(
    _ stage: TrainableStage, _ head: TrainableHead, _ mean: [Float], _ std: [Float],
    _ samples: [Sample]
  ) -> Double? {
    guard !samples.isEmpty else { return nil }
    let values = logits(stage, head, mean, std, samples)
    return zip(values, samples).map { HeadTrainer.crossEntropy(logit: $0, label: $1.label) }
      .reduce(0, +) / Double(samples.count)
  }

  static func validationAccuracy(
    _ stage: TrainableStage, _ head: TrainableHead, _ mean: [Float], _ std: [Float],
    _ samples: [Sample]
  ) -> Double {
    let values = logits(stage, head, mean, std, samples)
    let correct = zip(values, samples).filter { ($0 >= 0) == $1.label }.count
    return Double(correct) / Double(max(samples.count, 1))
  }

  /// Collects every backbone tensor in torchvision names: the frozen layers as
  /// loaded, the last stage as fine-tuned, each with an identity batch
  /// normalization that carries the folded bias.
  static func backboneTensors(_ network: ResNet50, stage: TrainableStage) -> [String: Tensor] {
    let epsilon = network.config.batchNormEpsilon
    var tensors: [String: Tensor] = [:]
    func add(_ name: String, _ norm: String, _ weight: [Float], _ bias: [Float], _ layer: Convolution) {
      tensors.merge(
        TrainableConvolution.tensors(
          name: name, norm: norm, weight: weight, bias: bias, inChannels: layer.inChannels,
          outChannels: layer.outChannels, kernel: layer.kernel, epsilon: epsilon)
      ) { _, new in new }
    }
    func norm(of name: String) -> String {
      if name == "conv1" { return "bn1" }
      if name.hasSuffix(".downsample.0") { return String(name.dropLast(1)) + "1" }
      return name.replacingOccurrences(of: ".conv", with: ".bn")
    }
    add("conv1", "bn1", network.stem.weightMatrix, network.stem.bias.array, network.stem)
    let frozen = network.blocks.count - stage.blocks.count
    for (index, block) in network.blocks.enumerated() {
      var layers: [(Convolution, [Float], [Float])] = []
      if index < frozen {
        layers = [block.conv1, block.conv2, block.conv3].map { ($0, $0.weightMatrix, $0.bias.array) }
        if let down = block.downsample { layers.append((down, down.weightMatrix, down.bias.array)) }
      } else {
        let tuned = stage.blocks[index - frozen]
        layers = [
          (block.conv1, tuned.conv1.weight.values, tuned.conv1.bias.values),
          (block.conv2, tuned.conv2.weight.values, tuned.conv2.bias.values),
          (block.conv3, tuned.conv3.weight.values, tuned.conv3.bias.values),
        ]
        if let down = block.downsample, let tunedDown = tuned.downsample {
          layers.append((down, tunedDown.weight.values, tunedDown.bias.values))
        }
      }
      for (layer, weight, bias) in layers {
        add(layer.name, norm(of: layer.name), weight, bias, layer)
      }
    }
    return tensors
  }
}
