import Foundation

/// The fat infiltration of one muscle on one side: which fraction of its
/// cross-section turns to fat and in what arrangement.
///
/// Every muscle sample gets a pattern value; the samples with the highest
/// values, `area` of them, become fat spots. Ranking the samples instead of
/// thresholding a fixed level makes the fat area exact whatever the
/// muscle's size.
struct FatTexture: Sendable {
  var grade: MercuriGrade
  var pattern: FatPattern
  /// Fraction of the muscle's samples that become fat spots.
  var area: Float
  /// Fat fraction inside the spots and of the muscle between them.
  var spotFat: Float
  var baseFat: Float
  /// Size of a noise cell in millimetres: the spot size.
  var cellSize: Float
  /// Half width of the blend between muscle and spot, in pattern units:
  /// wider for the washed-out grades.
  var softness: Float
  var noise: ValueNoise
  /// Factor on the muscle's own signal: muscles differ by a few percent
  /// in fibre type and water content.
  var brightness: Float

  /// The texture of a grade, its area drawn from the grade's range.
  init(
    grade: MercuriGrade, pattern: FatPattern, random: inout PhantomRandom
  ) {
    self.grade = grade
    self.pattern = pattern
    let range = grade.fatAreaRange
    area = Float(random.uniform(range))
    noise = ValueNoise(seed: random.next())
    brightness = Float(1 + 0.02 * random.normal())
    switch grade {
    case .normal: (baseFat, spotFat, cellSize, softness) = (0.03, 0.03, 3, 0.01)
    case .grade1: (baseFat, spotFat, cellSize, softness) = (0.04, 0.85, 1.8, 0.03)
    case .grade2a: (baseFat, spotFat, cellSize, softness) = (0.06, 0.88, 2.6, 0.045)
    case .grade2b: (baseFat, spotFat, cellSize, softness) = (0.08, 0.9, 3.4, 0.055)
    case .grade3: (baseFat, spotFat, cellSize, softness) = (0.15, 0.92, 2.4, 0.06)
    case .grade4: (baseFat, spotFat, cellSize, softness) = (0.9, 0.95, 2.5, 0.05)
    }
    if pattern == .patchy { cellSize *= 2.5 }
  }

  /// Returns the pattern value of a sample at leg-frame (x, y), `depth` mm inside
  /// the muscle, with (u, v) its coordinates along the muscle's axes.
  @inline(__always)
  func value(
    x: Float, y: Float, depth: Float, u: Float, v: Float, semiV: Float
  ) -> Float {
    // Spots stretch into streaks along the muscle's long axis, as fat
    // follows the fascicles.
    let n = noise.fractal(u / (cellSize * 2.2), v / cellSize)
    switch pattern {
    case .mothEaten, .patchy:
      if grade == .grade3 {
        // Washed out: the interior goes first, a rim of muscle is left.
        return 0.55 * n + 0.45 * min(depth / 4, 1)
      }
      return n
    case .peripheral:
      return 0.3 * n + 0.7 * (1 - min(depth / 7, 1))
    case .central:
      return 0.3 * n + 0.7 * (1 - min(abs(v) / (0.45 * semiV), 1))
    }
  }

  /// Returns the fat fraction of a sample from its pattern value and the rank
  /// threshold of its muscle.
  @inline(__always)
  func fatFraction(value: Float, threshold: Float) -> Float {
    guard area > 0 else { return baseFat * 2 * value }
    let t = min(max((value - threshold + softness) / (2 * softness), 0), 1)
    return baseFat + (spotFat - baseFat) * t * t * (3 - 2 * t)
  }
}
