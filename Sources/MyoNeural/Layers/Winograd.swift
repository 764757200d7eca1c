/// Winograd's minimal filtering F(2x2, 3x3) for a 3x3 convolution with
/// stride 1 and padding 1 on NHWC activations.
///
/// Each 2x2 block of output pixels (a tile) comes from the 4x4 block of
/// input around it. With V = Bt d B for an input block d and U = G g Gt
/// for a 3x3 kernel g, the tile is At (U * V) A, where * is elementwise:
/// 16 multiplications per channel pair instead of the direct method's
/// 36. Summed over the input channels, the 16 elementwise products
/// become 16 GEMMs, one per position of the 4x4 block.
///
///     Bt = [1  0 -1  0]    G = [  1    0    0 ]    At = [1 1  1  0]
///          [0  1  1  0]        [ 1/2  1/2  1/2]         [0 1 -1 -1]
///          [0 -1  1  0]        [ 1/2 -1/2  1/2]
///          [0  1  0 -1]        [  0    0    1 ]
///
/// Every transform here works on four channels at a time, so the channel
/// counts must be multiples of 4.
enum Winograd {
  /// Positions in a transformed 4x4 block.
  static let positions = 16

  /// Returns the transformed kernels of a layer, `[16, inChannels,
  /// outChannels]`, from its weights `[3, 3, inChannels, outChannels]`.
  static func kernels(
    _ weights: UnsafePointer<Float>, inChannels: Int, outChannels: Int
  ) -> FloatBuffer {
    let kernels = FloatBuffer(count: positions * inChannels * outChannels)
    transformWeights(
      weights, inChannels: inChannels, outChannels: outChannels,
      channels: 0..<inChannels, into: kernels.pointer)
    return kernels
  }

  /// Transforms the kernels of the input channels `channels`.
  ///
  /// - weights: `[3, 3, inChannels, outChannels]`, the matrix of
  ///   `Convolution`.
  /// - transformed: `[16, inChannels, outChannels]`.
  static func transformWeights(
    _ weights: UnsafePointer<Float>, inChannels: Int, outChannels: Int,
    channels: Range<Int>, into transformed: UnsafeMutablePointer<Float>
  ) {
    // Consecutive taps and consecutive positions are a plane apart.
    let plane = inChannels * outChannels
    let tap = plane
    for ci in channels {
      let source = weights + ci * outChannels
      let target = transformed + ci * outChannels
      var co = 0
      while co < outChannels {
        let s = source + co
        // G g: one column of G g per column kx of the kernel.
        let (a0, b0, c0, d0) = kernelRows(
          load(s), load(s + 3 * tap), load(s + 6 * tap))
        let (a1, b1, c1, d1) = kernelRows(
          load(s + tap), load(s + 4 * tap), load(s + 7 * tap))
        let (a2, b2, c2, d2) = kernelRows(
          load(s + 2 * tap), load(s + 5 * tap), load(s + 8 * tap))
        // (G g) Gt, one row at a time.
        let t = target + co
        storeRow(kernelRows(a0, a1, a2), t, 0, plane)
        storeRow(kernelRows(b0, b1, b2), t, 4, plane)
        storeRow(kernelRows(c0, c1, c2), t, 8, plane)
        storeRow(kernelRows(d0, d1, d2), t, 12, plane)
        co += 4
      }
    }
  }

  /// Transforms the input blocks of the tiles `tiles`.
  ///
  /// - input: `[n, height, width, channels]`; the output has the same
  ///   height and width, in `tileCounts` tiles per image.
  /// - transformed: `[16, blockTiles, channels]`; tile
  ///   `tiles.lowerBound` goes to row `firstRow`.
  /// - zeros: `channels` zeros, read for taps in the padding.
  static func transformInput(
    _ input: UnsafePointer<Float>, height: Int, width: Int, channels: Int,
    tiles: Range<Int>, firstRow: Int, blockTiles: Int,
    into transformed: UnsafeMutablePointer<Float>, zeros: UnsafePointer<Float>
  ) {
    let (tilesHigh, tilesWide) = tileCounts(height: height, width: width)
    let plane = blockTiles * channels
    for tile in tiles {
      let image = tile / (tilesHigh * tilesWide)
      let ty = (tile / tilesWide) % tilesHigh
      let tx = tile % tilesWide
      let base = input + image * height * width * channels
      func at(_ i: Int, _ j: Int) -> UnsafePointer<Float> {
        let iy = 2 * ty - 1 + i
        let ix = 2 * tx - 1 + j
        guard iy >= 0 && iy < height && ix >= 0 && ix < width else {
          return zeros
        }
        return base + (iy * width + ix) * channels
      }
      let (p00, p01, p02, p03) = (at(0, 0), at(0, 1), at(0, 2), at(0, 3))
      let (p10, p11, p12, p13) = (at(1, 0), at(1, 1), at(1, 2), at(1, 3))
      let (p20, p21, p22, p23) = (at(2, 0), at(2, 1), at(2, 2), at(2, 3))
      let (p30, p31, p32, p33) = (at(3, 0), at(3, 1), at(3, 2), at(3, 3))
      let t = transformed + (firstRow + tile - tiles.lowerBound) * channels
      var c = 0
      while c < channels {
        // Bt d, one column of the block at a time.
        let (r00, r10, r20, r30) = inputRows(
          load(p00 + c), load(p10 + c), load(p20 + c), load(p30 + c))
        let (r01, r11, r21, r31) = inputRows(
          load(p01 + c), load(p11 + c), load(p21 + c), load(p31 + c))
        let (r02, r12, r22, r32) = inputRows(
          load(p02 + c), load(p12 + c), load(p22 + c), load(p32 + c))
        let (r03, r13, r23, r33) = inputRows(
          load(p03 + c), load(p13 + c), load(p23 + c), load(p33 + c))
        // (Bt d) B, one row at a time.
        let target = t + c
        storeRow(inputRows(r00, r01, r02, r03), target, 0, plane)
        storeRow(inputRows(r10, r11, r12, r13), target, 4, plane)
        storeRow(inputRows(r20, r21, r22, r23), target, 8, plane)
        storeRow(inputRows(r30, r31, r32, r33), target, 12, plane)
        c += 4
      }
    }
  }

  /// Turns the products of the tiles `tiles` back into output pixels and
  /// applies the epilogue to them.
  ///
  /// - products: `[16, blockTiles, channels]`; tile `tiles.lowerBound`
  ///   is at row `firstRow`.
  /// - output: `[n, height, width, channels]`.
  static func transformOutput(
    _ products: UnsafePointer<Float>, tiles: Range<Int>, firstRow: Int,
    blockTiles: Int, channels: Int, height: Int, width: Int,
    output: UnsafeMutablePointer<Float>, epilogue: Epilogue
  ) {
    let (tilesHigh, tilesWide) = tileCounts(height: height, width: width)
    let plane = blockTiles * channels
    let bias = epilogue.bias
    let clamps = epilogue.clamps
    for tile in tiles {
      let image = tile / (tilesHigh * tilesWide)
      let ty = (tile / tilesWide) % tilesHigh
      let tx = tile % tilesWide
      let secondRow = 2 * ty + 1 < height
      let secondColumn = 2 * tx + 1 < width
      let s = products + (firstRow + tile - tiles.lowerBound) * channels
      let corner =
        output + ((image * height + 2 * ty) * width + 2 * tx) * channels
      let below = corner + width * channels
      var c = 0
      while c < channels {
        // At m, one column of the block at a time.
        let (t00, t10) = outputRows(
          load(s + c), load(s + 4 * plane + c), load(s + 8 * plane + c),
          load(s + 12 * plane + c))
        let (t01, t11) = outputRows(
          load(s + plane + c), load(s + 5 * plane + c),
          load(s + 9 * plane + c), load(s + 13 * plane + c))
        let (t02, t12) = outputRows(
          load(s + 2 * plane + c), load(s + 6 * plane + c),
          load(s + 10 * plane + c), load(s + 14 * plane + c))
        let (t03, t13) = outputRows(
          load(s + 3 * plane + c), load(s + 7 * plane + c),
          load(s + 11 * plane + c), load(s + 15 * plane + c))
        // (At m) A, then the bias and the ReLU.
        let shift = bias.map { load($0 + c) } ?? .zero
        let (y00, y01) = outputRows(t00, t01, t02, t03)
        let (y10, y11) = outputRows(t10, t11, t12, t13)
        store(finish(y00, shift, clamps), corner + c)
        if secondColumn {
          store(finish(y01, shift, clamps), corner + channels + c)
        }
        if secondRow {
          store(finish(y10, shift, clamps), below + c)
          if secondColumn {
            store(finish(y11, shift, clamps), below + channels + c)
          }
        }
        c += 4
      }
    }
  }

  /// Returns one column of G g for one column of the kernel.
  @inline(__always)
  private static func kernelRows(
    _ a: SIMD4<Float>, _ b: SIMD4<Float>, _ c: SIMD4<Float>
  ) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
    (a, 0.5 * (a + b + c), 0.5 * (a - b + c), c)
  }

  /// Returns Bt times one column of four values.
  @inline(__always)
  private static func inputRows(
    _ a: SIMD4<Float>, _ b: SIMD4<Float>, _ c: SIMD4<Float>,
    _ d: SIMD4<Float>
  ) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
    (a - c, b + c, c - b, b - d)
  }

  /// Returns At times one column of four values.
  @inline(__always)
  private static func outputRows(
    _ a: SIMD4<Float>, _ b: SIMD4<Float>, _ c: SIMD4<Float>,
    _ d: SIMD4<Float>
  ) -> (SIMD4<Float>, SIMD4<Float>) {
    (a + b + c, b - c - d)
  }

  @inline(__always)
  private static func finish(
    _ value: SIMD4<Float>, _ shift: SIMD4<Float>, _ clamps: Bool
  ) -> SIMD4<Float> {
    let shifted = value + shift
    return clamps ? shifted.replacing(with: 0, where: shifted .< 0) : shifted
  }

  /// Stores one transformed row at positions `first..<first + 4`.
  @inline(__always)
  private static func storeRow(
    _ row: (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>),
    _ target: UnsafeMutablePointer<Float>, _ first: Int, _ plane: Int
  ) {
    store(row.0, target + first * plane)
    store(row.1, target + (first + 1) * plane)
    store(row.2, target + (first + 2) * plane)
    store(row.3, target + (first + 3) * plane)
  }

  /// Tiles per image down and across.
  static func tileCounts(height: Int, width: Int) -> (Int, Int) {
    ((height + 1) / 2, (width + 1) / 2)
  }

  @inline(__always)
  private static func load(_ pointer: UnsafePointer<Float>) -> SIMD4<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD4<Float>.self)
  }

  @inline(__always)
  private static func store(
    _ value: SIMD4<Float>, _ pointer: UnsafeMutablePointer<Float>
  ) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD4<Float>.self)
  }
}
