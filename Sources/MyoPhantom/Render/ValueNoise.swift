/// Smooth lattice noise in [0, 1): random values on an integer grid,
/// blended with a smoothstep. Cheap and deterministic; the seed selects
/// an independent field.
struct ValueNoise: Sendable {
  var seed: UInt64

  @inline(__always)
  private func lattice(_ ix: Int32, _ iy: Int32) -> Float {
    let key =
      seed ^ (UInt64(UInt32(bitPattern: ix)) << 32 | UInt64(UInt32(bitPattern: iy)))
    let hash = PhantomRandom.mix(key &* 0x9E37_79B9_7F4A_7C15)
    return Float(hash >> 40) * (1.0 / 16_777_216.0)
  }

  /// The noise at a point whose unit is one lattice cell.
  @inline(__always)
  func value(_ x: Float, _ y: Float) -> Float {
    let fx = x.rounded(.down)
    let fy = y.rounded(.down)
    let ix = Int32(clamping: Int(fx))
    let iy = Int32(clamping: Int(fy))
    var tx = x - fx
    var ty = y - fy
    tx = tx * tx * (3 - 2 * tx)
    ty = ty * ty * (3 - 2 * ty)
    let a = lattice(ix, iy)
    let b = lattice(ix &+ 1, iy)
    let c = lattice(ix, iy &+ 1)
    let d = lattice(ix &+ 1, iy &+ 1)
    let top = a + (b - a) * tx
    let bottom = c + (d - c) * tx
    return top + (bottom - top) * ty
  }

  /// Two octaves, the second at 2.3 times the frequency and turned by
  /// about 37 degrees, so that thresholded spots do not line up with the
  /// lattice into rectangles.
  @inline(__always)
  func fractal(_ x: Float, _ y: Float) -> Float {
    // cos and sin of 37 degrees, times the frequency 2.3.
    let c: Float = 2.3 * 0.7986
    let s: Float = 2.3 * 0.6018
    return 0.65 * value(x, y)
      + 0.35 * value(c * x - s * y + 17.1, s * x + c * y - 5.7)
  }
}
