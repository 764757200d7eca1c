import MyoKernels

/// A 2-D convolution with its batch normalization folded in, on NHWC
/// activations.
///
/// The weights are stored as a `[kh * kw * inChannels, outChannels]`
/// matrix (rows ordered ky, kx, c), so one output pixel is one row of the
/// im2col matrix times this matrix. The layer name is the weight-file key
/// prefix, such as `layer2.0.conv2`.
final class Convolution: @unchecked Sendable {
  let name: String
  let inChannels: Int
  let outChannels: Int
  let kernel: Int
  let stride: Int
  let padding: Int
  /// The code that multiplies with the weights, fixed at load time.
  let kernels: ConvolutionKernels
  /// Folded weights. With `openBLAS` they are the `[kernel * kernel *
  /// inChannels, outChannels]` matrix, and with `panels` that matrix
  /// packed into panels of 16 output channels (`PanelGEMM`).
  let weights: FloatBuffer
  /// Folded bias, `[outChannels]`.
  let bias: FloatBuffer
  /// The kernels transformed for Winograd F(2x2, 3x3), made at load time
  /// when `isWinograd`: `[16, inChannels, outChannels]`, with `panels`
  /// each position's matrix packed.
  let winogradKernels: FloatBuffer?

  /// Creates a layer from folded weights in the matrix layout above,
  /// taking ownership of the buffer unless they are packed.
  init(
    name: String, inChannels: Int, outChannels: Int, kernel: Int,
    stride: Int, padding: Int, weights: FloatBuffer, bias: [Float],
    kernels: ConvolutionKernels = .preferred
  ) {
    precondition(
      weights.count == kernel * kernel * inChannels * outChannels
        && bias.count == outChannels,
      "\(name): \(weights.count) weights and \(bias.count) biases for"
        + " \(kernel)x\(kernel) \(inChannels) -> \(outChannels)")
    self.name = name
    self.inChannels = inChannels
    self.outChannels = outChannels
    self.kernel = kernel
    self.stride = stride
    self.padding = padding
    self.kernels = kernels
    self.bias = FloatBuffer(bias)
    let depth = kernel * kernel * inChannels
    var transformed =
      Self.usesWinograd(
        kernel: kernel, stride: stride, padding: padding,
        inChannels: inChannels, outChannels: outChannels)
      ? Winograd.kernels(
        weights.pointer, inChannels: inChannels, outChannels: outChannels)
      : nil
    switch kernels {
    case .openBLAS:
      self.weights = weights
    case .panels:
      let packed = FloatBuffer(
        count: PanelGEMM.packedCount(depth: depth, columns: outChannels))
      PanelGEMM.pack(
        weights.pointer, depth: depth, columns: outChannels,
        into: packed.pointer)
      self.weights = packed
      if let plain = transformed {
        let plane = PanelGEMM.packedCount(
          depth: inChannels, columns: outChannels)
        let packedKernels = FloatBuffer(count: Winograd.positions * plane)
        for position in 0..<Winograd.positions {
          PanelGEMM.pack(
            plain.pointer + position * inChannels * outChannels,
            depth: inChannels, columns: outChannels,
            into: packedKernels.pointer + position * plane)
        }
        transformed = packedKernels
      }
    }
    winogradKernels = transformed
  }

  /// Creates a layer from folded weights given as an array.
  convenience init(
    name: String, inChannels: Int, outChannels: Int, kernel: Int,
    stride: Int, padding: Int, weights: [Float], bias: [Float],
    kernels: ConvolutionKernels = .preferred
  ) {
    self.init(
      name: name, inChannels: inChannels, outChannels: outChannels,
      kernel: kernel, stride: stride, padding: padding,
      weights: FloatBuffer(weights), bias: bias, kernels: kernels)
  }

  /// The folded weights as the `[kernel * kernel * inChannels,
  /// outChannels]` matrix, whatever their layout in memory.
  var weightMatrix: [Float] {
    switch kernels {
    case .openBLAS:
      return weights.array
    case .panels:
      var matrix = [Float](repeating: 0, count: patchLength * outChannels)
      matrix.withUnsafeMutableBufferPointer { target in
        PanelGEMM.unpack(
          weights.pointer, depth: patchLength, columns: outChannels,
          into: target.baseAddress!)
      }
      return matrix
    }
  }

  /// The length of one im2col row.
  var patchLength: Int { kernel * kernel * inChannels }

  /// Returns the output height or width for an input height or width.
  func outputSize(_ size: Int) -> Int {
    (size + 2 * padding - kernel) / stride + 1
  }

  /// Whether the input is already the im2col matrix (1x1, stride 1).
  var isPointwise: Bool { kernel == 1 && stride == 1 && padding == 0 }

  /// Whether the layer runs as Winograd F(2x2, 3x3): a 3x3 kernel with
  /// stride 1 and padding 1, channel counts that are multiples of 4, and
  /// at most 256 x 256 channel pairs. The limit keeps the transformed
  /// kernels, 16/9 the size of the weights and held beside them, off
  /// the 512-channel layers of the last stage, whose weights are the
  /// largest and whose maps have the fewest tiles.
  var isWinograd: Bool { winogradKernels != nil }

  private static func usesWinograd(
    kernel: Int, stride: Int, padding: Int, inChannels: Int, outChannels: Int
  ) -> Bool {
    kernel == 3 && stride == 1 && padding == 1 && inChannels % 4 == 0
      && outChannels % 4 == 0 && inChannels * outChannels <= 65_536
  }

  /// Returns the number of output rows (pixels) per GEMM: `total`
  /// split evenly into tiles of about `targetRows`.
  func tileRows(total: Int) -> Int {
    Self.evenPart(total, target: targetRows)
  }

  /// Output rows per tile, chosen so that one tile of the im2col matrix,
  /// or of a pointwise layer's output, stays near 1 MB.
  private var targetRows: Int {
    isPointwise ? max(256, 262_144 / outChannels) : max(128, 262_144 / patchLength)
  }

  /// Returns the Winograd tiles transformed and multiplied at a time:
  /// `tiles` split evenly into blocks whose transformed input and
  /// products stay near 1 MB.
  func winogradBlock(tiles: Int) -> Int {
    Self.evenPart(tiles, target: targetTiles)
  }

  private var targetTiles: Int {
    max(64, 262_144 / (Winograd.positions * (inChannels + outChannels)))
  }

  /// Returns the part size when `count` items are split into the whole
  /// number of equal parts nearest to parts of `target` items. A part is
  /// never above 1.5 times the target plus one, so a last part much
  /// smaller than the others, which would run a GEMM of a few rows, does
  /// not occur.
  private static func evenPart(_ count: Int, target: Int) -> Int {
    let parts = max(1, (count + target / 2) / target)
    return (count + parts - 1) / parts
  }

  /// Returns the largest part `evenPart` gives for at most `count` items.
  private static func largestPart(_ count: Int, target: Int) -> Int {
    min(count, target + target / 2 + 1)
  }

  /// Returns the scratch floats each thread needs for one pass over `n`
  /// images of `height x width`.
  func scratchFloats(n: Int, height: Int, width: Int) -> Int {
    let outHeight = outputSize(height)
    let outWidth = outputSize(width)
    let rows = n * outHeight * outWidth
    // A thread's share of the rows or tiles may split into larger parts
    // than the whole does, so size for the largest part.
    // The panel kernels read the input in place, or a padded copy that
    // lives outside the lanes (`paddedFloats`).
    var lane =
      isPointwise || kernels == .panels
      ? 0 : Self.largestPart(rows, target: targetRows) * patchLength
    if isWinograd {
      let (high, wide) = Winograd.tileCounts(height: outHeight, width: outWidth)
      let block = Self.largestPart(n * high * wide, target: targetTiles)
      lane = max(
        lane, Winograd.positions * block * (inChannels + outChannels))
    }
    return lane
  }

  /// Returns the floats of the padded copy of the input that the panel
  /// kernels read when `readsKernelRows`, else 0. One copy serves every
  /// thread, so it is sized once, not per lane.
  func paddedFloats(n: Int, height: Int, width: Int) -> Int {
    readsKernelRows
      ? n * (height + 2 * padding) * (width + 2 * padding) * inChannels : 0
  }

  /// Runs the layer.
  ///
  /// - input: `[n, height, width, inChannels]`.
  /// - output: `[n, outHeight, outWidth, outChannels]`; with `accumulate`
  ///   it already contains a residual, which the GEMM adds to.
  /// - scratch: at least `scratchFloats` for this input.
  /// - epilogue: the pass applied to each finished tile, while it is hot.
  ///
  /// With several lanes in the scratch, the work is split between that
  /// many threads, each calling single-threaded OpenBLAS. When there are
  /// at least as many output pixels as output channels, each thread
  /// fills, multiplies and finishes its own tiles of pixels. Otherwise
  /// the threads share each tile by slices of the output channels.
  func forward(
    input: UnsafePointer<Float>, n: Int, height: Int, width: Int,
    output: UnsafeMutablePointer<Float>, scratch: ConvolutionScratch,
    accumulate: Bool, epilogue: Epilogue
  ) {
    LayerTimes.measure(
      name,
      operations: 2 * outputSize(height) * outputSize(width) * patchLength
        * outChannels
    ) {
      compute(
        input: input, n: n, height: height, width: width, output: output,
        scratch: scratch, accumulate: accumulate, epilogue: epilogue)
    }
  }

  /// Runs the layer, as `forward` describes.
  private func compute(
    input: UnsafePointer<Float>, n: Int, height: Int, width: Int,
    output: UnsafeMutablePointer<Float>, scratch: ConvolutionScratch,
    accumulate: Bool, epilogue: Epilogue
  ) {
    precondition(
      n > 0 && height + 2 * padding >= kernel
        && width + 2 * padding >= kernel,
      "\(name): input \(height)x\(width) is smaller than the"
        + " \(kernel)x\(kernel) kernel")
    let needed = scratchFloats(n: n, height: height, width: width)
    let paddedNeeded = paddedFloats(n: n, height: height, width: width)
    precondition(
      scratch.laneFloats >= needed && scratch.zeroFloats >= inChannels
        && scratch.paddedFloats >= paddedNeeded,
      "\(name): scratch of \(scratch.laneFloats) floats per thread,"
        + " \(scratch.zeroFloats) zeros and \(scratch.paddedFloats) padded,"
        + " below the \(needed), \(inChannels) and \(paddedNeeded) this"
        + " input needs")
    if let kernels = winogradKernels, !accumulate {
      forwardWinograd(
        kernels: UnsafePointer(kernels.pointer),
        input: input, n: n, height: height, width: width, output: output,
        scratch: scratch, epilogue: epilogue)
      return
    }
    if kernels == .panels {
      forwardPanels(
        input: input, n: n, height: height, width: width, output: output,
        scratch: scratch, accumulate: accumulate, epilogue: epilogue)
      return
    }

    let outHeight = outputSize(height)
    let outWidth = outputSize(width)
    let rows = n * outHeight * outWidth
    let lanes = scratch.lanes
    let shape = (height: height, width: width, outHeight: outHeight, outWidth: outWidth)
    if lanes > 1 && rows >= outChannels && rows >= 64 * lanes {
      Parallel.lanes(lanes) { lane in
        let part = (rows * lane / lanes)..<(rows * (lane + 1) / lanes)
        multiply(
          input: input, rows: part, shape: shape, output: output,
          columns: scratch.lane(lane),
          accumulate: accumulate, epilogue: epilogue, lanes: 1)
      }
      return
    }
    multiply(
      input: input, rows: 0..<rows, shape: shape, output: output,
      columns: scratch.lane(0),
      accumulate: accumulate, epilogue: epilogue, lanes: lanes)
  }

  /// Runs the layer on the panel kernels, which read the input in place
  /// and finish each block of outputs as they store it.
  ///
  /// With several lanes the work is split between threads by output
  /// pixels or by panels of output channels (see the rule below).
  private func forwardPanels(
    input: UnsafePointer<Float>, n: Int, height: Int, width: Int,
    output: UnsafeMutablePointer<Float>, scratch: ConvolutionScratch,
    accumulate: Bool, epilogue: Epilogue
  ) {
    let outHeight = outputSize(height)
    let outWidth = outputSize(width)
    let geometry: PanelGEMM.Geometry
    if readsKernelRows {
      // A copy of the input with its padding, so that every kernel row
      // under an output pixel is `kernel * inChannels` consecutive floats.
      let paddedHeight = height + 2 * padding
      let paddedWidth = width + 2 * padding
      let padded = scratch.padded
      Self.pad(
        input, n: n, height: height, width: width, channels: inChannels,
        padding: padding, into: padded)
      geometry = PanelGEMM.Geometry(
        input: padded, height: paddedHeight, width: paddedWidth,
        pixelFloats: inChannels, channels: kernel * inChannels,
        kernelHigh: kernel, kernelWide: 1, stride: stride, padding: 0,
        outHeight: outHeight, outWidth: outWidth, zeros: scratch.zeros)
    } else {
      geometry = PanelGEMM.Geometry(
        input: input, height: height, width: width, channels: inChannels,
        kernel: kernel, stride: stride, padding: padding,
        outHeight: outHeight, outWidth: outWidth, zeros: scratch.zeros)
    }
    let rows = n * outHeight * outWidth
    let panels = (outChannels + PanelGEMM.panelWidth - 1) / PanelGEMM.panelWidth
    let tiles = (rows + PanelGEMM.tileRows - 1) / PanelGEMM.tileRows
    let weights = UnsafePointer(self.weights.pointer)
    let bias = epilogue.bias
    let relu = epilogue.clamps
    func run(_ part: Range<Int>, _ columns: Range<Int>) {
      PanelGEMM.convolve(
        geometry, rows: part, panels: columns, weights: weights,
        columns: outChannels, output: output, ldc: outChannels,
        accumulate: accumulate, bias: bias, relu: relu)
    }
    let lanes = scratch.lanes
    guard lanes > 1 && rows * patchLength * outChannels >= 1 << 20 else {
      run(0..<rows, 0..<panels)
      return
    }
    // Panels when there are few tiles of pixels, or when the weights are
    // so large (the last stage's) that reading them twice costs more
    // than reading the input twice. Otherwise pixels, whose halves also
    // keep each thread's part of the output in its own cache for the
    // next layer. Both thresholds were set by timing ResNet50 on a
    // 2-core machine, so they are estimates for other machines.
    let weightFloats = patchLength * outChannels
    if panels >= lanes && (tiles < 8 * lanes || weightFloats >= 1 << 20) {
      Parallel.split(panels, parts: lanes) { part in run(0..<rows, part) }
    } else {
      Parallel.split(tiles, parts: lanes) { part in
        run(
          (part.lowerBound * PanelGEMM.tileRows)
            ..< min(rows, part.upperBound * PanelGEMM.tileRows), 0..<panels)
      }
    }
  }

  /// Whether the panel kernels read a whole kernel row per tap from a
  /// padded copy of the input. That suits a wide kernel on few channels
  /// (the stem's 7x7 on 3), where one tap per pixel would sum only a few
  /// channels between address changes.
  var readsKernelRows: Bool {
    kernels == .panels && kernel > 1 && inChannels < 8
  }

  /// Copies `input` `[n, height, width, channels]` into `padded` `[n,
  /// height + 2 padding, width + 2 padding, channels]` with zeros around.
  static func pad(
    _ input: UnsafePointer<Float>, n: Int, height: Int, width: Int,
    channels: Int, padding: Int, into padded: UnsafeMutablePointer<Float>
  ) {
    let paddedWidth = width + 2 * padding
    let paddedHeight = height + 2 * padding
    padded.update(repeating: 0, count: n * paddedHeight * paddedWidth * channels)
    for image in 0..<n {
      for y in 0..<height {
        let source = input + (image * height + y) * width * channels
        let target =
          padded
          + ((image * paddedHeight + y + padding) * paddedWidth + padding)
          * channels
        target.update(from: source, count: width * channels)
      }
    }
  }

  /// Computes the output rows `rows` in tiles. With several lanes each
  /// tile's im2col pass, and its GEMM and epilogue by output channels,
  /// are split across that many threads.
  private func multiply(
    input: UnsafePointer<Float>, rows: Range<Int>,
    shape: (height: Int, width: Int, outHeight: Int, outWidth: Int),
    output: UnsafeMutablePointer<Float>, columns: UnsafeMutablePointer<Float>,
    accumulate: Bool, epilogue: Epilogue, lanes: Int
  ) {
    let tile = tileRows(total: rows.count)
    var start = rows.lowerBound
    while start < rows.upperBound {
      let count = min(tile, rows.upperBound - start)
      let a: UnsafePointer<Float>
      if isPointwise {
        a = input + start * inChannels
      } else {
        Im2col.fill(
          columns, rows: start..<(start + count), input: input,
          height: shape.height, width: shape.width, channels: inChannels,
          kernel: kernel, stride: stride, padding: padding,
          outHeight: shape.outHeight, outWidth: shape.outWidth,
          parallel: lanes > 1)
        a = UnsafePointer(columns)
      }
      let c = output + start * outChannels
      // Slices of 16 output channels keep each thread's B and C columns
      // 64-byte aligned.
      let units = (outChannels + 15) / 16
      let parts = min(lanes, units)
      Parallel.split(units, parts: parts) { part in
        let first = part.lowerBound * 16
        let end = min(part.upperBound * 16, outChannels)
        // M = output pixels of the tile, N = this slice of outChannels,
        // K = kernel * kernel * inChannels. A = im2col tile [M, K]
        // (lda K), B = weight columns [K, N] (ldb outChannels), C =
        // output rows [M, N] (ldc outChannels).
        BLAS.sgemm(
          m: count, n: end - first, k: patchLength,
          a: a, lda: patchLength,
          b: UnsafePointer(weights.pointer) + first, ldb: outChannels,
          c: c + first, ldc: outChannels, beta: accumulate ? 1 : 0)
        epilogue.apply(
          c, rows: count, columns: first..<end, stride: outChannels)
      }
      start += count
    }
  }

  /// Runs the layer as Winograd F(2x2, 3x3); see `Winograd`.
  private func forwardWinograd(
    kernels: UnsafePointer<Float>, input: UnsafePointer<Float>, n: Int, height: Int, width: Int,
    output: UnsafeMutablePointer<Float>, scratch: ConvolutionScratch,
    epilogue: Epilogue
  ) {
    let lanes = scratch.lanes
    let positions = Winograd.positions
    let (high, wide) = Winograd.tileCounts(height: height, width: width)
    let tiles = n * high * wide

    // Transforms, multiplies and finishes the tiles `part` in blocks,
    // with the transformed input and the products in `space`.
    func run(
      _ part: Range<Int>, space: UnsafeMutablePointer<Float>, parts: Int
    ) {
      let block = winogradBlock(tiles: part.count)
      var start = part.lowerBound
      while start < part.upperBound {
        let count = min(block, part.upperBound - start)
        let transformed = space  // [16, count, inChannels]
        let products = space + positions * count * inChannels  // [16, count, out]
        Parallel.split(count, parts: parts) { local in
          Winograd.transformInput(
            input, height: height, width: width, channels: inChannels,
            tiles: (start + local.lowerBound)..<(start + local.upperBound),
            firstRow: local.lowerBound, blockTiles: count,
            into: transformed, zeros: scratch.zeros)
        }
        Parallel.split(positions, parts: parts) { range in
          for position in range {
            multiplyPosition(
              position, kernels: kernels, transformed: transformed,
              count: count, products: products, zeros: scratch.zeros)
          }
        }
        Parallel.split(count, parts: parts) { local in
          Winograd.transformOutput(
            products,
            tiles: (start + local.lowerBound)..<(start + local.upperBound),
            firstRow: local.lowerBound, blockTiles: count,
            channels: outChannels, height: height, width: width,
            output: output, epilogue: epilogue)
        }
        start += count
      }
    }

    // Many tiles: each thread runs its own share with no waiting. Few:
    // the threads share each step of one block.
    if lanes > 1 && tiles >= 64 * lanes {
      Parallel.lanes(lanes) { lane in
        run(
          (tiles * lane / lanes)..<(tiles * (lane + 1) / lanes),
          space: scratch.lane(lane), parts: 1)
      }
    } else {
      run(0..<tiles, space: scratch.lane(0), parts: lanes)
    }
  }
}

extension Convolution {
  /// Multiplies the transformed input of one Winograd position,
  /// `[count, inChannels]`, with that position's transformed kernels into
  /// its products, `[count, outChannels]`.
  fileprivate func multiplyPosition(
    _ position: Int, kernels: UnsafePointer<Float>,
    transformed: UnsafeMutablePointer<Float>, count: Int,
    products: UnsafeMutablePointer<Float>, zeros: UnsafePointer<Float>
  ) {
    let rows = transformed + position * count * inChannels
    let target = products + position * count * outChannels
    switch self.kernels {
    case .panels:
      // The rows are a 1x1 convolution of one image `count` pixels wide.
      let panels = (outChannels + PanelGEMM.panelWidth - 1) / PanelGEMM.panelWidth
      PanelGEMM.convolve(
        PanelGEMM.Geometry(
          input: rows, height: 1, width: count, channels: inChannels,
          kernel: 1, stride: 1, padding: 0, outHeight: 1, outWidth: count,
          zeros: zeros),
        rows: 0..<count, panels: 0..<panels,
        weights: kernels
          + position * PanelGEMM.packedCount(depth: inChannels, columns: outChannels),
        columns: outChannels, output: target, ldc: outChannels,
        accumulate: false, bias: nil, relu: false)
    case .openBLAS:
      // M = tiles of the block, N = outChannels, K = inChannels. A =
      // transformed input of one position [M, K] (lda K), B = its
      // transformed kernels [K, N] (ldb N), C = its products [M, N]
      // (ldc N).
      BLAS.sgemm(
        m: count, n: outChannels, k: inChannels, a: rows, lda: inChannels,
        b: kernels + position * inChannels * outChannels, ldb: outChannels,
        c: target, ldc: outChannels)
    }
  }
}

/// Scratch memory for convolutions, carved from a workspace.
struct ConvolutionScratch {
  /// Threads a layer splits its work across, one block of `laneFloats`
  /// per thread.
  let lanes: Int
  let laneBase: UnsafeMutablePointer<Float>
  let laneFloats: Int
  /// Zeros, never written.
  let zeros: UnsafePointer<Float>
  let zeroFloats: Int
  /// The padded copy of a layer's input (`Convolution.paddedFloats`),
  /// one for all threads.
  let padded: UnsafeMutablePointer<Float>
  let paddedFloats: Int

  /// Returns the block of thread `lane`.
  func lane(_ lane: Int) -> UnsafeMutablePointer<Float> {
    laneBase + lane * laneFloats
  }
}
