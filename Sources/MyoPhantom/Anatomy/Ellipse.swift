import Foundation

/// An ellipse in a leg's own frame (millimetres, x lateral, y anterior),
/// with a wobble of its outline by the second and third harmonics.
struct Ellipse: Sendable {
  var centerX: Float
  var centerY: Float
  /// Semi-axis along the rotated u direction.
  var semiU: Float
  /// Semi-axis along the rotated v direction.
  var semiV: Float
  /// cos and sin of the angle from the x axis to u.
  var cosine: Float
  var sine: Float
  /// Relative amplitudes of the outline's harmonics, cos and sin parts.
  var wobble2: (Float, Float) = (0, 0)
  var wobble3: (Float, Float) = (0, 0)

  init(
    centerX: Float, centerY: Float, semiU: Float, semiV: Float,
    degrees: Float
  ) {
    self.centerX = centerX
    self.centerY = centerY
    self.semiU = semiU
    self.semiV = semiV
    let radians = degrees * .pi / 180
    cosine = cosf(radians)
    sine = sinf(radians)
  }

  /// Coordinates of a point in the ellipse's frame, in millimetres.
  @inline(__always)
  func local(_ x: Float, _ y: Float) -> (u: Float, v: Float) {
    let dx = x - centerX
    let dy = y - centerY
    return (dx * cosine + dy * sine, -dx * sine + dy * cosine)
  }

  /// The normalised distance: below 1 inside the wobbled outline, 1 on
  /// it, growing linearly with distance from the centre outside.
  @inline(__always)
  func distance(_ x: Float, _ y: Float) -> Float {
    let (u, v) = local(x, y)
    let p = u / semiU
    let q = v / semiV
    let r2 = p * p + q * q
    let r = r2.squareRoot()
    guard r > 1e-6 else { return 0 }
    // cos 2t, sin 2t, cos 3t and sin 3t of the angle t of (p, q), from
    // the coordinates alone.
    let c = p / r
    let s = q / r
    let cos2 = c * c - s * s
    let sin2 = 2 * c * s
    let cos3 = c * (4 * c * c - 3)
    let sin3 = s * (3 - 4 * s * s)
    let scale =
      1 + wobble2.0 * cos2 + wobble2.1 * sin2 + wobble3.0 * cos3
      + wobble3.1 * sin3
    return r / scale
  }

  /// The mean radius in millimetres, to turn normalised distances into
  /// lengths.
  var meanRadius: Float { (semiU * semiV).squareRoot() }
}
