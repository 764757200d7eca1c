/// The body of a phantom subject: sizes, fat, the two legs and the
/// scanner settings that vary between cases.
public struct Subject: Sendable {
  /// The patient's sex, as written in the manifest and DICOM (M or F).
  public enum Sex: String, Sendable {
    case male = "M"
    case female = "F"
  }

  /// Age in years.
  public var age: Int
  /// Sex.
  public var sex: Sex
  /// Gap between the two thighs' skin at the middle slice, millimetres;
  /// zero or below when the legs touch.
  public var gap: Float
  /// Field of view across the image, millimetres.
  public var fieldOfView: Float
  /// Fraction of fat in the femoral marrow: low in young children, whose
  /// marrow is still partly red.
  public var marrowFat: Float
  /// Scanner units that pure fat reaches at the coil's mean sensitivity.
  public var fatLevel: Float
  /// Standard deviation of the noise in each of the two receiver
  /// channels, scanner units.
  public var noise: Float
  /// Coil bias: the surface array's strength (its share of the
  /// sensitivity is twice this, at most 0.7) and the left-right and
  /// front-back tilts across the field of view.
  public var biasRadial: Float
  public var biasX: Float
  public var biasY: Float
  /// Vertical position of the thighs' centres below the image centre,
  /// millimetres.
  public var offsetY: Float
  /// The legs.
  var legs: [Side: LegShape]

  /// Whether the legs touch at the middle slice.
  public var legsTouch: Bool { gap <= 0 }

  /// Draws a subject of the given age and sex. `atrophy` shrinks every
  /// muscle (neurogenic disease).
  static func draw(
    age: Int, sex: Sex, atrophy: Float, random: inout PhantomRandom
  ) -> Subject {
    // Thigh size grows through childhood to an adult radius near 80 mm
    // (a mid-thigh circumference near 50 cm).
    let growth = Float(min(max(Double(age - 3) / 14, 0), 1))
    let meanRadius =
      (44 + 34 * growth) * Float(random.normal(mean: 1, deviation: 0.07))
    let adultFat: Float = sex == .female ? 16 : 9
    let fat =
      (5 + (adultFat - 5) * growth)
      * Float(max(0.45, random.normal(mean: 1, deviation: 0.3)))
    // Width over depth of the outline before the posterior flattening:
    // a mid-thigh is about as deep as it is wide, or a little deeper, so
    // that the flattened thigh ends up about round.
    let aspect = Float(random.normal(mean: 0.86, deviation: 0.05))
    let semiX = meanRadius * aspect.squareRoot()
    let semiY = meanRadius / aspect.squareRoot()
    let bulk = Float(random.normal(mean: 1, deviation: 0.04)) * (1 - atrophy)

    var legs: [Side: LegShape] = [:]
    let asymmetry = Float(random.normal(mean: 0, deviation: 0.025))
    for side in Side.allCases {
      let sign: Float = side == .right ? 1 : -1
      var leg = LegShape.draw(
        semiX: semiX * (1 + sign * asymmetry),
        semiY: semiY * (1 + sign * asymmetry), fat: fat, bulk: bulk,
        random: &random)
      leg.femurRadius =
        ThighLayout.femurRadius * (0.55 + 0.45 * growth)
        * Float(random.normal(mean: 1, deviation: 0.04))
      legs[side] = leg
    }

    // About one case in six has thighs pressed together, as on the real
    // scans that the localizer must reject or split.
    let gap: Float =
      random.chance(0.17)
      ? Float(random.uniform(-14 ... -5))
      : Float(random.uniform(4...45)) * (0.6 + 0.4 * growth)
    // Thighs close together flatten each other's medial side.
    let closeness = Float(min(max((25 - Double(gap)) / 35, 0), 1))
    for side in Side.allCases {
      legs[side]?.medialFlattening =
        closeness * Float(random.uniform(0.05...0.18))
    }
    let width = 2 * 2 * meanRadius + max(gap, 0)
    let fieldOfView = min(max((width * 1.1 / 10).rounded() * 10, 220), 460)
    let marrowFat = 0.35 + 0.6 * Float(min(max(Double(age - 3) / 15, 0), 1))
    return Subject(
      age: age, sex: sex, gap: gap, fieldOfView: fieldOfView,
      marrowFat: marrowFat,
      fatLevel: Float(random.uniform(2100...2700)),
      noise: Float(random.uniform(16...32)),
      biasRadial: Float(random.uniform(0.05...0.3)),
      biasX: Float(random.normal(mean: 0, deviation: 0.08)),
      biasY: Float(random.normal(mean: 0, deviation: 0.1)),
      offsetY: Float(random.normal(mean: 4, deviation: 4)), legs: legs)
  }
}
