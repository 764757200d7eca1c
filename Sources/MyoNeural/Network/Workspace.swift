/// The activation buffers of one network at one batch size and input
/// size, allocated once and reused by every forward pass.
final class Workspace: @unchecked Sendable {
  /// Images per pass.
  let batch: Int
  /// Input height and width.
  let size: Int
  /// Network input, `[batch, size, size, 3]`.
  let input: FloatBuffer
  /// The two buffers of the main path, each large enough for any block
  /// input or output, `[batch, h, w, c]`. For a batch that runs in
  /// chunks, only the first, with the last stage's maps.
  let main: (FloatBuffer, FloatBuffer)
  /// Output of each block's first convolution.
  let first: FloatBuffer
  /// Output of each block's 3x3 convolution.
  let second: FloatBuffer
  /// Convolution scratch for each thread (an im2col tile, or a block
  /// of Winograd tiles), `[lanes, laneFloats]`.
  let lanes: FloatBuffer
  /// The threads the scratch has room for.
  let laneCount: Int
  let laneFloats: Int
  /// Zeros for padding taps, as many as the widest layer input.
  let zeros: FloatBuffer
  /// The padded copy of the input of a layer that reads whole kernel
  /// rows (the stem on the panel kernels), shared by the threads.
  let padded: FloatBuffer
  /// Pooled features, `[batch, featureChannels]`.
  let pooled: FloatBuffer
  /// Height and width of the last stage's maps.
  let finalSide: Int

  /// Sizes every buffer by walking the network's shapes, with
  /// convolution scratch for `threads` threads (at most 16).
  init(network: ResNet50, batch: Int, size: Int, threads: Int) {
    self.batch = batch
    self.size = size
    var mainFloats = 0
    var firstFloats = 0
    var secondFloats = 0
    var laneFloats = 0
    var zeroFloats = 0
    var paddedFloats = 0
    func need(_ conv: Convolution, side: Int) {
      laneFloats = max(
        laneFloats, conv.scratchFloats(n: batch, height: side, width: side))
      paddedFloats = max(
        paddedFloats, conv.paddedFloats(n: batch, height: side, width: side))
      zeroFloats = max(zeroFloats, conv.inChannels)
    }

    let stem = network.stem
    var side = stem.outputSize(size)
    mainFloats = batch * side * side * stem.outChannels
    need(stem, side: size)
    side = MaxPool.outputSize(side)
    for block in network.blocks {
      let side1 = block.conv1.outputSize(side)
      let side2 = block.conv2.outputSize(side1)
      firstFloats = max(
        firstFloats, batch * side1 * side1 * block.conv1.outChannels)
      secondFloats = max(
        secondFloats, batch * side2 * side2 * block.conv2.outChannels)
      mainFloats = max(
        mainFloats, batch * side * side * block.conv1.inChannels,
        batch * side2 * side2 * block.conv3.outChannels)
      // Each convolution with the side of its own input.
      var inputs = [
        (block.conv1, side), (block.conv2, side1), (block.conv3, side2),
      ]
      if let downsample = block.downsample { inputs.append((downsample, side)) }
      for (conv, inSide) in inputs { need(conv, side: inSide) }
      side = side2
    }
    finalSide = side

    // A batch that runs in chunks, each on a chunk workspace, needs its
    // own buffers only for the input, the gathered last-stage maps and
    // the pooled features.
    var spareFloats = mainFloats
    if batch > ResNet50.chunkImages {
      mainFloats = batch * side * side * network.config.featureChannels
      spareFloats = 0
      firstFloats = 0
      secondFloats = 0
      laneFloats = 0
      paddedFloats = 0
    }

    input = FloatBuffer(count: batch * size * size * 3)
    main = (FloatBuffer(count: mainFloats), FloatBuffer(count: spareFloats))
    first = FloatBuffer(count: firstFloats)
    second = FloatBuffer(count: secondFloats)
    laneCount = min(max(1, threads), 16)
    self.laneFloats = laneFloats
    lanes = FloatBuffer(count: laneCount * laneFloats)
    zeros = FloatBuffer(count: zeroFloats)
    padded = FloatBuffer(count: paddedFloats)
    pooled = FloatBuffer(count: batch * network.config.featureChannels)
  }

  /// The convolution scratch, split across the elementwise threads (at
  /// most `laneCount`).
  var scratch: ConvolutionScratch {
    ConvolutionScratch(
      lanes: min(max(1, Parallel.threads), laneCount),
      laneBase: lanes.pointer, laneFloats: laneFloats,
      zeros: zeros.pointer, zeroFloats: zeros.count,
      padded: padded.pointer, paddedFloats: padded.count)
  }

  /// Bytes held by the buffers.
  var byteCount: Int {
    let floats =
      input.count + main.0.count + main.1.count + first.count
      + second.count + lanes.count + zeros.count + padded.count
      + pooled.count
    return floats * MemoryLayout<Float>.stride
  }
}
