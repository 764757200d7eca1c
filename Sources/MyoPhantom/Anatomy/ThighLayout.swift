/// The reference layout of one thigh at mid-femur, from which every
/// phantom leg is scaled and perturbed.
///
/// Coordinates are millimetres in the leg's own frame: x lateral, y
/// anterior, the femur's centre at the origin. They describe an adult
/// thigh whose muscle compartment (inside the deep fascia) has semi-axes
/// of 74 mm across and 80 mm front to back around its centre.
///
/// Along the slab, from the distal end (t = -1) to the proximal end
/// (t = +1), a muscle's radii scale by `1 + grow * t` and its centre
/// moves by `(shiftX, shiftY) * t`.
enum ThighLayout {
  /// One muscle of the layout.
  struct Entry {
    var muscle: Muscle
    var x: Float
    var y: Float
    var semiU: Float
    var semiV: Float
    var degrees: Float
    var grow: Float = 0
    var shiftX: Float = 0
    var shiftY: Float = 0
    /// An intramuscular tendon or aponeurosis: a line along the muscle's
    /// u axis at `v = tendonOffset * semiV`, over `|u| < tendonLength *
    /// semiU`; nil for none.
    var tendonOffset: Float? = nil
    var tendonLength: Float = 0
    /// Factor on the normalised distance: above 1 for strap muscles that
    /// lie in fat (sartorius, gracilis), so that they claim less of the
    /// space around them than a packed muscle does.
    var tightness: Float = 1
  }

  /// The centre of the muscle compartment relative to the femur: the
  /// femur lies in the anterolateral third of the thigh, with the large
  /// adductor and hamstring mass behind and medial to it.
  static let compartmentX: Float = -22
  static let compartmentY: Float = -24
  /// Semi-axes of the reference compartment.
  static let compartmentSemiX: Float = 74
  static let compartmentSemiY: Float = 80

  /// The muscles. Vastus intermedius wraps the front of the femur, and
  /// rectus femoris lies superficial to it. Vastus lateralis is lateral
  /// and vastus medialis anteromedial. Sartorius lies over the adductor
  /// canal and gracilis is the most medial. Adductor longus is
  /// anteromedial, adductor magnus large and posteromedial, and the
  /// hamstrings lie behind.
  static let muscles: [Entry] = [
    Entry(
      muscle: .rectusFemoris, x: 3, y: 43, semiU: 17, semiV: 10,
      degrees: 0, grow: 0.10, tendonOffset: 0, tendonLength: 0.55),
    Entry(
      muscle: .vastusIntermedius, x: 8, y: 13, semiU: 24, semiV: 16,
      degrees: -20, grow: 0.02),
    Entry(
      muscle: .vastusLateralis, x: 37, y: -4, semiU: 19, semiV: 38,
      degrees: 15, grow: -0.04, tendonOffset: 0.3, tendonLength: 0.5),
    Entry(
      muscle: .vastusMedialis, x: -29, y: 16, semiU: 19, semiV: 30,
      degrees: -25, grow: -0.18, shiftX: 2),
    Entry(
      muscle: .sartorius, x: -60, y: -10, semiU: 13, semiV: 8,
      degrees: 75, shiftY: 5, tightness: 1.3),
    Entry(
      muscle: .gracilis, x: -81, y: -40, semiU: 12, semiV: 5.5,
      degrees: 110, grow: -0.05, tightness: 1.25),
    Entry(
      muscle: .adductorLongus, x: -50, y: -28, semiU: 15, semiV: 11,
      degrees: 30, grow: 0.25, shiftX: -3),
    Entry(
      muscle: .adductorMagnus, x: -30, y: -50, semiU: 30, semiV: 23,
      degrees: -20, grow: 0.05, tendonOffset: -0.2, tendonLength: 0.35),
    Entry(
      muscle: .bicepsFemorisLongHead, x: 8, y: -90, semiU: 17, semiV: 13,
      degrees: 20, grow: 0.02),
    Entry(
      muscle: .bicepsFemorisShortHead, x: 20, y: -42, semiU: 11, semiV: 14,
      degrees: 10, grow: -0.30),
    Entry(
      muscle: .semitendinosus, x: -22, y: -96, semiU: 15, semiV: 11,
      degrees: -10, grow: 0.05),
    Entry(
      muscle: .semimembranosus, x: -46, y: -82, semiU: 15, semiV: 12,
      degrees: -35, grow: -0.20, tendonOffset: 0.45, tendonLength: 0.5),
  ]

  /// A round structure of the layout: a vessel or a nerve.
  struct Round {
    var x: Float
    var y: Float
    var radius: Float
    var shiftY: Float = 0
  }

  /// The superficial femoral artery and vein in the adductor canal, the
  /// profunda femoris vessels beside the linea aspera.
  static let vessels: [Round] = [
    Round(x: -47, y: -6, radius: 2.8, shiftY: 3),
    Round(x: -51, y: -10, radius: 3.6, shiftY: 3),
    Round(x: -15, y: -24, radius: 2.4),
    Round(x: -11, y: -28, radius: 1.9),
  ]

  /// The sciatic nerve, between biceps femoris, semitendinosus and
  /// adductor magnus.
  static let sciaticNerve = Round(x: -5, y: -72, radius: 3.6)

  /// The femur: the radius of the shaft and the cortex thickness as a
  /// fraction of it.
  static let femurRadius: Float = 13
  static let cortexFraction: Float = 0.38
}
