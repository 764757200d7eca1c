/// The fixed shape of one leg of a subject: everything that does not
/// change between the slices of a case, drawn once from the case's seed.
struct LegShape: Sendable {
  /// Semi-axes of the skin outline, millimetres, at the middle slice.
  var semiX: Float
  var semiY: Float
  /// Outline harmonics, relative.
  var wobble2: (Float, Float)
  var wobble3: (Float, Float)
  /// How much flatter the posterior half is, where the thigh lies on the
  /// table: 0 keeps the ellipse.
  var posteriorFlattening: Float
  /// How much flatter the medial side is, where it faces the other
  /// thigh; set by the subject from the gap between the thighs.
  var medialFlattening: Float = 0
  /// Mean subcutaneous fat thickness, millimetres.
  var fatThickness: Float
  /// Relative change of the fat thickness with direction: lateral,
  /// anterior, and the lateral-minus-anterior quadrupole.
  var fatLateral: Float
  var fatAnterior: Float
  var fatQuadrupole: Float
  /// External rotation of the leg, degrees; positive turns the front of
  /// the thigh outwards.
  var rotationDegrees: Float
  /// Scale of the muscle compartment against the reference layout.
  var compartmentScaleX: Float
  var compartmentScaleY: Float
  /// Muscle radii multiplier of the subject (bulk).
  var bulk: Float
  /// Per muscle, a position offset (mm) and a radius multiplier, in
  /// `Muscle.allCases` order.
  var muscleOffsets: [(Float, Float)]
  var muscleScales: [Float]
  /// Per muscle, outline harmonics.
  var muscleWobbles: [((Float, Float), (Float, Float))]
  /// Femur shaft radius, millimetres.
  var femurRadius: Float
  /// How much the thigh's outline grows from the distal to the proximal
  /// end of the slab, relative, per unit of t.
  var taper: Float
  /// Seed of the strands of the subcutaneous fat.
  var strandSeed: UInt64

  /// Draws a leg around the subject's mean values.
  static func draw(
    semiX: Float, semiY: Float, fat: Float, bulk: Float,
    random: inout PhantomRandom
  ) -> LegShape {
    func jitter(_ deviation: Double) -> Float {
      Float(random.normal(mean: 0, deviation: deviation))
    }
    let fatThickness = max(2.5, fat * (1 + jitter(0.06)))
    let outlineX = semiX * (1 + jitter(0.015))
    let outlineY = semiY * (1 + jitter(0.015))
    let inner: Float = 1.6 + fatThickness + 0.7
    var offsets: [(Float, Float)] = []
    var scales: [Float] = []
    var wobbles: [((Float, Float), (Float, Float))] = []
    for _ in Muscle.allCases {
      offsets.append((jitter(1.5), jitter(1.5)))
      scales.append(1 + jitter(0.06))
      wobbles.append(((jitter(0.05), jitter(0.05)), (jitter(0.04), jitter(0.04))))
    }
    let reference = ThighLayout.self
    return LegShape(
      semiX: outlineX, semiY: outlineY,
      wobble2: (jitter(0.035), jitter(0.03)),
      wobble3: (jitter(0.03), jitter(0.03)),
      posteriorFlattening: Float(random.uniform(0.04...0.16)),
      fatThickness: fatThickness,
      fatLateral: jitter(0.15), fatAnterior: jitter(0.12) - 0.08,
      fatQuadrupole: jitter(0.12),
      rotationDegrees: Float(random.uniform(-6...14)),
      compartmentScaleX: max(0.3, (outlineX - inner) / reference.compartmentSemiX),
      compartmentScaleY: max(0.3, (outlineY - inner) / reference.compartmentSemiY),
      bulk: bulk * (1 + jitter(0.03)),
      muscleOffsets: offsets, muscleScales: scales, muscleWobbles: wobbles,
      femurRadius: 0, taper: Float(random.uniform(0.02...0.06)),
      strandSeed: random.next())
  }
}
