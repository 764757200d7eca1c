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
  /// input or output, `[batch, h, w, c]`.
  let main: (FloatBuffer, FloatBuffer)
  /// Output of each block's first convolution.
  let first: FloatBuffer
  /// Output of each block's 3x3 convolution.
  let second: FloatBuffer
  /// One im2col tile.
  let columns: FloatBuffer
  /// Pooled features, `[batch, featureChannels]`.
  let pooled: FloatBuffer
  /// Height and width of the last stage's maps.
  let finalSide: Int

  /// Sizes every buffer by walking the network's shapes.
  init(network: ResNet50, batch: Int, size: Int) {
    self.batch = batch
    self.size = size
    var mainFloats = 0
    var firstFloats = 0
    var secondFloats = 0
    var columnFloats = 0

    let stem = network.stem
    var side = stem.outputSize(size)
    mainFloats = batch * side * side * stem.outChannels
    columnFloats = stem.columnFloats(rows: batch * side * side)
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
      for (conv, inSide) in inputs {
        let outSide = conv.outputSize(inSide)
        columnFloats = max(
          columnFloats, conv.columnFloats(rows: batch * outSide * outSide))
      }
      side = side2
    }
    finalSide = side

    input = FloatBuffer(count: batch * size * size * 3)
    main = (FloatBuffer(count: mainFloats), FloatBuffer(count: mainFloats))
    first = FloatBuffer(count: firstFloats)
    second = FloatBuffer(count: secondFloats)
    columns = FloatBuffer(count: columnFloats)
    pooled = FloatBuffer(count: batch * network.config.featureChannels)
  }

  /// Bytes held by the buffers.
  var byteCount: Int {
    let floats =
      input.count + main.0.count + main.1.count + first.count
      + second.count + columns.count + pooled.count
    return floats * MemoryLayout<Float>.stride
  }
}
