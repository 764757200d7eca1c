import Foundation

/// The cross-section of one leg on one slice, placed in the image, and the
/// tissue at any point of it.
///
/// The leg's own frame has x lateral and y anterior in millimetres, with
/// the femur's centre at the origin. The image frame has X to the right of
/// the image (the patient's left) and Y down the image (posterior), also
/// in millimetres, from the image centre.
struct LegSection: Sendable {
  /// The tissue found at a point, with its muscle and depths.
  struct Sample {
    var tissue: TissueClass
    /// The muscle, for muscle samples.
    var muscle: Muscle?
    /// Distance to the muscle's edge in millimetres, for muscle samples.
    var depth: Float
    /// Depth below the skin surface in millimetres; negative outside.
    var skinDepth: Float
    /// Position in the leg frame.
    var x: Float
    var y: Float
  }

  var side: Side
  /// Centre of the skin outline in the image frame.
  var imageX: Float
  var imageY: Float
  /// -1 when lateral points to the image's left (the right leg).
  var lateralSign: Float
  var rotationCosine: Float
  var rotationSine: Float
  /// The skin outline, centred on the compartment centre.
  var outline: Ellipse
  var posteriorFlattening: Float
  var medialFlattening: Float
  var skinThickness: Float = 1.6
  var fatThickness: Float
  var fatLateral: Float
  var fatAnterior: Float
  var fatQuadrupole: Float
  var fasciaThickness: Float = 0.7
  var femurRadius: Float
  var cortexThickness: Float
  /// Muscles, in the order of `ThighLayout.muscles`.
  var muscles: [Ellipse]
  /// The muscle of each entry of `muscles`.
  var muscleOrder: [Muscle]

  /// The ellipse of one muscle.
  func ellipse(of muscle: Muscle) -> Ellipse {
    muscles[muscleOrder.firstIndex(of: muscle)!]
  }
  /// Per muscle, the tendon line's offset along v (millimetres) and its
  /// half length along u, or nil.
  var tendons: [(Float, Float)?]
  /// Per muscle, the factor on its normalised distance.
  var tightness: [Float]
  /// Half thickness of an intramuscular tendon, millimetres.
  var tendonHalfWidth: Float = 0.4
  /// Vessels: x, y, radius.
  var vessels: [(Float, Float, Float)]
  /// The great saphenous vein in the subcutaneous fat.
  var saphenous: (Float, Float, Float)
  var nerve: (Float, Float, Float)
  /// Normalised distance beyond which a point belongs to no muscle.
  var muscleReach: Float = 1.8
  /// Half width of the septum between two muscles, millimetres.
  var septumHalfWidth: Float = 0.4
  /// The fibrous strands that cross the subcutaneous fat: where this
  /// noise is near one half.
  var strands: ValueNoise

  /// Lays out a leg at slab position `t` (-1 distal to +1 proximal).
  init(
    side: Side, shape: LegShape, t: Float, imageX: Float, imageY: Float,
    muscleBulk: [Muscle: Float]
  ) {
    self.side = side
    strands = ValueNoise(seed: shape.strandSeed)
    self.imageX = imageX
    self.imageY = imageY
    lateralSign = side == .right ? -1 : 1
    let radians = shape.rotationDegrees * .pi / 180
    rotationCosine = cosf(radians)
    rotationSine = sinf(radians)
    let taper = 1 + shape.taper * t
    let sx = shape.compartmentScaleX * taper
    let sy = shape.compartmentScaleY * taper
    let reference = ThighLayout.self

    outline = Ellipse(
      centerX: reference.compartmentX * sx,
      centerY: reference.compartmentY * sy,
      semiU: shape.semiX * taper, semiV: shape.semiY * taper, degrees: 0)
    outline.wobble2 = shape.wobble2
    outline.wobble3 = shape.wobble3
    posteriorFlattening = shape.posteriorFlattening
    medialFlattening = shape.medialFlattening
    fatThickness = shape.fatThickness * taper
    fatLateral = shape.fatLateral
    fatAnterior = shape.fatAnterior
    fatQuadrupole = shape.fatQuadrupole
    femurRadius = shape.femurRadius
    cortexThickness = shape.femurRadius * reference.cortexFraction

    let scale = (sx * sy).squareRoot()
    muscles = []
    tendons = []
    tightness = reference.muscles.map(\.tightness)
    muscleOrder = reference.muscles.map(\.muscle)
    for (index, entry) in reference.muscles.enumerated() {
      let (dx, dy) = shape.muscleOffsets[index]
      let size =
        scale * shape.bulk * shape.muscleScales[index]
        * (1 + entry.grow * t) * (muscleBulk[entry.muscle] ?? 1)
      var ellipse = Ellipse(
        centerX: (entry.x + entry.shiftX * t) * sx + dx,
        centerY: (entry.y + entry.shiftY * t) * sy + dy,
        semiU: entry.semiU * size, semiV: entry.semiV * size,
        degrees: entry.degrees)
      ellipse.wobble2 = shape.muscleWobbles[index].0
      ellipse.wobble3 = shape.muscleWobbles[index].1
      muscles.append(ellipse)
      tendons.append(
        entry.tendonOffset.map { offset in
          (offset * ellipse.semiV, entry.tendonLength * ellipse.semiU)
        })
    }
    // The flattened medial and posterior sides push the structures near
    // them inwards by the same factor.
    let centreX = outline.centerX
    let centreY = outline.centerY
    let squeezeX = 1 + medialFlattening
    let squeezeY = 1 + posteriorFlattening
    func squeezed(_ x: Float, _ y: Float) -> (Float, Float) {
      (
        x < centreX ? centreX + (x - centreX) / squeezeX : x,
        y < centreY ? centreY + (y - centreY) / squeezeY : y
      )
    }
    for index in muscles.indices {
      let (x, y) = squeezed(muscles[index].centerX, muscles[index].centerY)
      muscles[index].centerX = x
      muscles[index].centerY = y
    }
    vessels = reference.vessels.map { vessel in
      (vessel.x * sx, (vessel.y + vessel.shiftY * t) * sy, vessel.radius * scale.squareRoot())
    }
    vessels = vessels.map { vessel in
      let (x, y) = squeezed(vessel.0, vessel.1)
      return (x, y, vessel.2)
    }
    let nerve = reference.sciaticNerve
    let (nerveX, nerveY) = squeezed(nerve.x * sx, nerve.y * sy)
    self.nerve = (nerveX, nerveY, nerve.radius * scale.squareRoot())
    saphenous = (
      outline.centerX
        - (outline.semiU / squeezeX - skinThickness - fatThickness * 0.5),
      outline.centerY + 6, 2.0)
  }

  /// Converts an image point to the leg frame.
  @inline(__always)
  func legPoint(_ X: Float, _ Y: Float) -> (Float, Float) {
    let dx = lateralSign * (X - imageX)
    let dy = -(Y - imageY)
    let x = dx * rotationCosine - dy * rotationSine
    let y = dx * rotationSine + dy * rotationCosine
    return (x + outline.centerX, y + outline.centerY)
  }

  /// Converts a leg-frame point to the image frame.
  func imagePoint(_ x: Float, _ y: Float) -> (Float, Float) {
    let px = x - outline.centerX
    let py = y - outline.centerY
    let dx = px * rotationCosine + py * rotationSine
    let dy = -px * rotationSine + py * rotationCosine
    return (imageX + lateralSign * dx, imageY - dy)
  }

  /// Depth below the skin of a leg-frame point, millimetres; negative
  /// outside the leg.
  @inline(__always)
  func skinDepth(_ x: Float, _ y: Float) -> (depth: Float, ux: Float, uy: Float) {
    var px = x - outline.centerX
    var py = y - outline.centerY
    if py < 0 { py *= 1 + posteriorFlattening }
    if px < 0 { px *= 1 + medialFlattening }
    let length = (px * px + py * py).squareRoot()
    guard length > 1e-3 else { return (outline.semiU, 0, 1) }
    let rho = outline.distance(px + outline.centerX, py + outline.centerY)
    px /= length
    py /= length
    return (length / rho - length, px, py)
  }

  /// Looks up the tissue at an image point; returns nil outside the leg.
  func sample(_ X: Float, _ Y: Float) -> Sample? {
    let (x, y) = legPoint(X, Y)
    let (depth, ux, uy) = skinDepth(x, y)
    guard depth >= 0 else { return nil }
    var result = Sample(
      tissue: .skin, muscle: nil, depth: 0, skinDepth: depth, x: x, y: y)
    if depth < skinThickness { return result }

    let localFat =
      fatThickness
      * max(
        0.4,
        1 + fatLateral * ux + fatAnterior * uy
          + fatQuadrupole * (ux * ux - uy * uy))
    let fasciaDepth = skinThickness + localFat
    if depth < fasciaDepth {
      let (vx, vy, vr) = saphenous
      let inVein = (x - vx) * (x - vx) + (y - vy) * (y - vy) < vr * vr
      let strand = abs(strands.value(x / 6, y / 6) - 0.5) < 0.012
      if inVein {
        result.tissue = .vessel
      } else if strand {
        result.tissue = .septum
      } else {
        result.tissue = .subcutaneousFat
      }
      return result
    }
    if depth < fasciaDepth + fasciaThickness {
      result.tissue = .fascia
      return result
    }
    let compartmentDepth = depth - fasciaDepth - fasciaThickness

    // The femur, with the linea aspera as a ridge at the back.
    let femurDistance = (x * x + y * y).squareRoot()
    if femurDistance < femurRadius * 1.3 {
      let back = femurDistance > 0 ? max(0, -y / femurDistance) : 0
      let ridge = femurRadius * (1 + 0.12 * powf(back, 12))
      if femurDistance < ridge {
        result.tissue =
          femurDistance > ridge - cortexThickness * (1 + 0.4 * powf(back, 12))
          ? .cortex : .marrow
        return result
      }
    }

    // Vessels and the nerve, each in a sleeve of fat.
    for (vx, vy, vr) in vessels {
      let d2 = (x - vx) * (x - vx) + (y - vy) * (y - vy)
      if d2 < vr * vr {
        result.tissue = .vessel
        return result
      }
      if d2 < (vr + 0.9) * (vr + 0.9) {
        result.tissue = .intermuscularFat
        return result
      }
    }
    let (nx, ny, nr) = nerve
    let nerveDistance2 = (x - nx) * (x - nx) + (y - ny) * (y - ny)
    if nerveDistance2 < nr * nr {
      result.tissue = .nerve
      return result
    }
    if nerveDistance2 < (nr + 1.0) * (nr + 1.0) {
      result.tissue = .intermuscularFat
      return result
    }

    // The muscle whose normalised distance is smallest claims the point;
    // a point near the boundary of two muscles is septum.
    var best = Float.infinity
    var second = Float.infinity
    var bestIndex = -1
    for index in 0..<muscles.count {
      let e = muscles[index].distance(x, y) * tightness[index]
      if e < best {
        second = best
        best = e
        bestIndex = index
      } else if e < second {
        second = e
      }
    }
    guard best <= muscleReach, bestIndex >= 0 else {
      result.tissue = .intermuscularFat
      return result
    }
    let radius = muscles[bestIndex].meanRadius / tightness[bestIndex]
    let toNeighbour = (second - best) * radius * 0.5
    let toFat = (muscleReach - best) * radius
    if toNeighbour < septumHalfWidth {
      result.tissue = .septum
      return result
    }
    result.tissue = .muscle
    // The layout lists muscles in its own order, not the enumeration's.
    result.muscle = muscleOrder[bestIndex]
    if let (offset, halfLength) = tendons[bestIndex] {
      let (u, v) = muscles[bestIndex].local(x, y)
      if abs(v - offset) < tendonHalfWidth && abs(u) < halfLength {
        result.tissue = .tendon
      }
    }
    result.depth = min(
      toNeighbour - septumHalfWidth, toFat, compartmentDepth,
      femurDistance - femurRadius)
    return result
  }
}
