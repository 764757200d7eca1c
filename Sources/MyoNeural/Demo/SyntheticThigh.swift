import Foundation
import MyoImaging

/// A crude synthetic axial mid-thigh slice for training the demo head:
/// two legs of subcutaneous fat around a muscle compartment and a femur,
/// the muscles as angular sectors with a fat fraction each.
///
/// Positive cases follow the dystrophinopathy pattern: adductor magnus,
/// quadriceps and biceps femoris fatty, with sartorius, gracilis and
/// adductor longus spared. Negative cases get fat in other muscles or
/// patchy fat everywhere. This is a stand-in cohort, not a model of real disease.
struct SyntheticThigh {
  /// Muscle sectors by angle around the femur (0 is lateral, measured
  /// towards anterior), with whether dystrophinopathy involves them early.
  static let muscles:
    [(name: String, from: Double, to: Double, involved: Bool)] = [
      ("vastus lateralis", -20, 40, true),
      ("rectus femoris", 40, 85, true),
      ("vastus medialis", 85, 125, true),
      ("sartorius", 125, 145, false),
      ("gracilis", 145, 165, false),
      ("adductor longus", 165, 185, false),
      ("adductor magnus", 185, 245, true),
      ("semitendinosus", 245, 270, false),
      ("semimembranosus", 270, 295, true),
      ("biceps femoris", 295, 340, true),
    ]

  /// Makes one slice; `positive` selects the pattern.
  static func slice(positive: Bool, random: inout SplitMix64) -> ScalarImage {
    let width = 320
    let height = 200
    var values = [Float](repeating: 0, count: width * height)
    let severity = 0.35 + 0.55 * random.nextUniform()
    var fat = [Double](repeating: 0, count: muscles.count)
    for (index, muscle) in muscles.enumerated() {
      let noise = 0.15 * random.nextUniform()
      if positive {
        fat[index] =
          muscle.involved
          ? severity * (0.7 + 0.3 * random.nextUniform()) : noise
      } else {
        // Other diseases: a random half of the muscles, or patchy fat
        // everywhere at a lower level.
        let patchy = random.nextUniform() < 0.4
        fat[index] =
          patchy
          ? severity * 0.5 * random.nextUniform()
          : (random.nextUniform() < 0.5
            ? severity * random.nextUniform() : noise)
      }
    }
    let scale = 0.85 + 0.3 * random.nextUniform()
    let shiftX = (random.nextUniform() - 0.5) * 20
    let shiftY = (random.nextUniform() - 0.5) * 16
    for leg in 0..<2 {
      let centreX =
        Double(width) / 2 + (leg == 0 ? -1 : 1) * 78 * scale + shiftX
      let centreY = Double(height) / 2 + shiftY
      let mirror: Double = leg == 0 ? 1 : -1
      draw(
        &values, width: width, height: height, centre: (centreX, centreY),
        scale: scale, mirror: mirror, fat: fat, random: &random)
    }
    for index in values.indices {
      values[index] = max(
        0, values[index] + Float((random.nextUniform() - 0.5) * 60))
    }
    return ScalarImage(width: width, height: height, values: values)
  }

  private static func draw(
    _ values: inout [Float], width: Int, height: Int, centre: (Double, Double),
    scale: Double, mirror: Double, fat: [Double], random: inout SplitMix64
  ) {
    let outer = (68.0 * scale, 80.0 * scale)
    let inner = (56.0 * scale, 68.0 * scale)
    let muscleSignal = 350.0
    let fatSignal = 1000.0
    for y in 0..<height {
      for x in 0..<width {
        let dx = (Double(x) - centre.0) * mirror
        let dy = Double(y) - centre.1
        let r2 =
          (dx / outer.0) * (dx / outer.0) + (dy / outer.1) * (dy / outer.1)
        guard r2 <= 1 else { continue }
        var signal = fatSignal
        let q =
          (dx / inner.0) * (dx / inner.0) + (dy / inner.1) * (dy / inner.1)
        if q <= 1 {
          let radius = (dx * dx + dy * dy).squareRoot()
          if radius < 9 * scale {
            signal = 900  // marrow
          } else if radius < 14 * scale {
            signal = 40  // cortex
          } else {
            // Angle 0 lateral, positive towards anterior (up in the image).
            var angle = atan2(-dy, -dx) * 180 / Double.pi
            if angle < -20 { angle += 360 }
            let index =
              muscles.firstIndex { angle >= $0.from && angle < $0.to } ?? 0
            let fraction = fat[index]
            // Moth-eaten texture: fat appears in speckles.
            let speckle = random.nextUniform() < fraction ? 1.0 : fraction * 0.3
            signal = muscleSignal + (fatSignal - muscleSignal) * speckle
          }
        }
        values[y * width + x] = Float(signal)
      }
    }
  }
}
