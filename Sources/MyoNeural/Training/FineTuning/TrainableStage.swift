/// The last ResNet stage in training: its bottlenecks with trainable
/// convolutions, run on one image's input to the stage at a time, then
/// the global average pool.
struct TrainableStage {
  struct Block {
    var conv1: TrainableConvolution
    var conv2: TrainableConvolution
    var conv3: TrainableConvolution
    var downsample: TrainableConvolution?
  }

  /// What one block's backward pass needs from its forward pass.
  struct BlockTrace {
    var side: Int
    var columns1: [Float]
    var output1: [Float]
    var side1: Int
    var columns2: [Float]
    var output2: [Float]
    var side2: Int
    var columnsDown: [Float]
    var output: [Float]
  }

  var blocks: [Block]

  /// Copies the last stage's blocks of a network.
  init(network: ResNet50) {
    let count = network.config.blocks.last ?? 0
    blocks = network.blocks.suffix(count).map {
      Block(
        conv1: TrainableConvolution($0.conv1), conv2: TrainableConvolution($0.conv2),
        conv3: TrainableConvolution($0.conv3),
        downsample: $0.downsample.map(TrainableConvolution.init))
    }
  }

  /// Runs the stage on `input` `[side, side, channels]`; returns the
  /// pooled features and the traces for the backward pass.
  func forward(_ input: [Float], side: Int) -> (pooled: [Float], traces: [BlockTrace], side: Int) {
    var x = input
    var size = side
    var traces: [BlockTrace] = []
    for block in blocks {
      let columns1 = block.conv1.columns(x, side: size)
      let side1 = block.conv1.outputSize(size)
      let output1 = relu(block.conv1.forward(columns: columns1, pixels: side1 * side1))
      let columns2 = block.conv2.columns(output1, side: side1)
      let side2 = block.conv2.outputSize(side1)
      let output2 = relu(block.conv2.forward(columns: columns2, pixels: side2 * side2))
      var sum = block.conv3.forward(columns: output2, pixels: side2 * side2)
      var columnsDown: [Float] = []
      if let down = block.downsample {
        columnsDown = down.columns(x, side: size)
        let shortcut = down.forward(columns: columnsDown, pixels: side2 * side2)
        for i in sum.indices { sum[i] += shortcut[i] }
      } else {
        for i in sum.indices { sum[i] += x[i] }
      }
      let output = relu(sum)
      traces.append(
        BlockTrace(
          side: size, columns1: columns1, output1: output1, side1: side1, columns2: columns2,
          output2: output2, side2: side2, columnsDown: columnsDown, output: output))
      x = output
      size = side2
    }
    let channels = blocks.last?.conv3.outChannels ?? 0
    let pixels = size * size
    var pooled = [Float](repeating: 0, count: channels)
    for pixel in 0..<pixels {
      for c in 0..<channels { pooled[c] += x[pixel * channels + c] }
    }
    for c in 0..<channels { pooled[c] /= Float(pixels) }
    return (pooled, traces, size)
  }

  /// Accumulates the gradients of one image from d loss / d pooled.
  mutating func backward(_ pooledGradient: [Float], traces: [BlockTrace], side: Int) {
    let channels = pooledGradient.count
    let pixels = side * side
    // The average pool spreads each channel's gradient evenly.
    var upstream = [Float](repeating: 0, count: pixels * channels)
    for pixel in 0..<pixels {
      for c in 0..<channels { upstream[pixel * channels + c] = pooledGradient[c] / Float(pixels) }
    }
    for index in stride(from: blocks.count - 1, through: 0, by: -1) {
      let trace = traces[index]
      for i in upstream.indices where trace.output[i] <= 0 { upstream[i] = 0 }
      let pixels2 = trace.side2 * trace.side2
      var d2 = blocks[index].conv3.backward(
        upstream, columns: trace.output2, pixels: pixels2, side: trace.side2)
      for i in d2.indices where trace.output2[i] <= 0 { d2[i] = 0 }
      var d1 = blocks[index].conv2.backward(
        d2, columns: trace.columns2, pixels: pixels2, side: trace.side1)
      for i in d1.indices where trace.output1[i] <= 0 { d1[i] = 0 }
      var down = blocks[index].conv1.backward(
        d1, columns: trace.columns1, pixels: trace.side1 * trace.side1, side: trace.side)
      if blocks[index].downsample != nil {
        let shortcut = blocks[index].downsample!.backward(
          upstream, columns: trace.columnsDown, pixels: pixels2, side: trace.side)
        for i in down.indices { down[i] += shortcut[i] }
      } else {
        for i in down.indices { down[i] += upstream[i] }
      }
      upstream = down
    }
  }

  /// Applies one update to every convolution.
  mutating func update(_ options: HeadOptions, rate: Float, step: Int, scale: Float) {
    for index in blocks.indices {
      blocks[index].conv1.weight.update(options, rate: rate, step: step, scale: scale)
      blocks[index].conv1.bias.update(options, rate: rate, step: step, scale: scale)
      blocks[index].conv2.weight.update(options, rate: rate, step: step, scale: scale)
      blocks[index].conv2.bias.update(options, rate: rate, step: step, scale: scale)
      blocks[index].conv3.weight.update(options, rate: rate, step: step, scale: scale)
      blocks[index].conv3.bias.update(options, rate: rate, step: step, scale: scale)
      blocks[index].downsample?.weight.update(options, rate: rate, step: step, scale: scale)
      blocks[index].downsample?.bias.update(options, rate: rate, step: step, scale: scale)
    }
  }

  private func relu(_ values: [Float]) -> [Float] { values.map { max($0, 0) } }
}
