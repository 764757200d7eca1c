/// One ResNet bottleneck: 1x1, 3x3 and 1x1 convolutions with a shortcut,
/// the sum followed by a ReLU.
final class Bottleneck: @unchecked Sendable {
  /// The key prefix, such as `layer3.0`.
  let name: String
  let conv1: Convolution
  let conv2: Convolution
  let conv3: Convolution
  /// The 1x1 projection of the shortcut, in the first block of a stage.
  let downsample: Convolution?
  /// conv3's bias plus the projection's, `[outChannels]`, added once
  /// after both GEMMs have accumulated into the output.
  let outputBias: FloatBuffer

  init(
    name: String, conv1: Convolution, conv2: Convolution,
    conv3: Convolution, downsample: Convolution?
  ) {
    self.name = name
    self.conv1 = conv1
    self.conv2 = conv2
    self.conv3 = conv3
    self.downsample = downsample
    var bias = conv3.bias.array
    if let downsample {
      for c in 0..<bias.count { bias[c] += downsample.bias.pointer[c] }
    }
    outputBias = FloatBuffer(bias)
  }

  /// The spatial stride of the block.
  var stride: Int { conv1.stride * conv2.stride }

  /// Runs the block on `input` `[n, height, width, inChannels]`.
  ///
  /// Without a projection the result replaces the input in place (the
  /// GEMM of conv3 accumulates onto the shortcut, and the bias and ReLU
  /// follow in one pass) and the function returns `input`. With a
  /// projection the result goes to `spare`, which it returns.
  func forward(
    input: UnsafeMutablePointer<Float>, n: Int, height: Int, width: Int,
    spare: UnsafeMutablePointer<Float>, workspace: Workspace
  ) -> UnsafeMutablePointer<Float> {
    precondition(
      downsample != nil || stride == 1,
      "\(name): a strided block needs a projection shortcut")
    let scratch = workspace.scratch
    let output = downsample == nil ? input : spare

    // [n, h, w, in] -> [n, h/s, w/s, out] without bias; conv3 adds to it.
    if let downsample {
      downsample.forward(
        input: input, n: n, height: height, width: width, output: output,
        scratch: scratch, accumulate: false, epilogue: .none)
    }

    // [n, h, w, in] -> [n, h1, w1, width]
    let first = workspace.first.pointer
    conv1.forward(
      input: input, n: n, height: height, width: width, output: first,
      scratch: scratch, accumulate: false,
      epilogue: .biasReLU(conv1.bias.pointer))
    let height1 = conv1.outputSize(height)
    let width1 = conv1.outputSize(width)

    // [n, h1, w1, width] -> [n, h2, w2, width]
    let second = workspace.second.pointer
    conv2.forward(
      input: first, n: n, height: height1, width: width1, output: second,
      scratch: scratch, accumulate: false,
      epilogue: .biasReLU(conv2.bias.pointer))
    let height2 = conv2.outputSize(height1)
    let width2 = conv2.outputSize(width1)

    // [n, h2, w2, width] -> [n, h2, w2, out], added to the shortcut.
    conv3.forward(
      input: second, n: n, height: height2, width: width2, output: output,
      scratch: scratch, accumulate: true,
      epilogue: .biasReLU(outputBias.pointer))
    return output
  }
}
