import Foundation

/// Renders the slices of a case: tissues on a supersampled grid, fat
/// textures, the spin-echo signal, partial volume, coil bias and Rician
/// noise, quantised to 12 bits.
public struct SliceRenderer: Sendable {
  /// The case.
  public var phantomCase: PhantomCase
  /// Number of slices in the slab.
  public var sliceCount: Int
  /// Image width in pixels.
  public var width: Int
  /// Image height in pixels: 5/8 of the width, rounded to an even number,
  /// a rectangular field of view that fits two thighs side by side (real
  /// thigh protocols use 1:2 to 3:4).
  public var height: Int
  /// Distance between slice centres, millimetres.
  public var sliceSpacing: Double = 7
  /// Samples per pixel along each axis, for partial volume.
  public var supersampling: Int = 2
  /// The pulse sequence.
  public var sequence = SpinEcho.thighT1
  /// Half the difference of skin depths, millimetres, within which a
  /// point lies on the contact line of touching thighs.
  var contactHalfWidth: Float = 0.5

  /// Creates a renderer.
  public init(phantomCase: PhantomCase, sliceCount: Int, width: Int) {
    self.phantomCase = phantomCase
    self.sliceCount = sliceCount
    self.width = width
    height = Int((Double(width) * 5 / 16).rounded()) * 2
  }

  /// Field of view across the image in millimetres.
  public var fieldOfView: Double { Double(phantomCase.subject.fieldOfView) }

  /// Pixel spacing in millimetres.
  public var pixelSpacing: Double { fieldOfView / Double(width) }

  /// Returns the slab position of slice `index`: -1 at the distal end
  /// (slice 0) to +1 at the proximal end.
  public func slabPosition(_ index: Int) -> Float {
    sliceCount > 1 ? Float(2 * index) / Float(sliceCount - 1) - 1 : 0
  }

  /// Returns the feet-head location of slice `index` in millimetres,
  /// increasing towards the head.
  public func location(_ index: Int) -> Double {
    Double(index - (sliceCount - 1) / 2) * sliceSpacing - 180
  }

  /// Lays out the two legs on slice `index`.
  func legs(_ index: Int) -> [LegSection] {
    let subject = phantomCase.subject
    let t = slabPosition(index)
    // The thighs part a little towards the knee.
    let gap = subject.gap - 3 * t
    return Side.allCases.map { side in
      let shape = subject.legs[side]!
      // The medial edge: the outline's semi-axis shortened by the medial
      // flattening.
      let half =
        shape.semiX * (1 + shape.taper * t) / (1 + shape.medialFlattening)
      let centreX = side == .right ? -(gap / 2 + half) : gap / 2 + half
      return LegSection(
        side: side, shape: shape, t: t, imageX: centreX,
        imageY: subject.offsetY, muscleBulk: phantomCase.muscleBulk[side]!)
    }
  }

  /// Renders slice `index` (0 is the most distal).
  public func render(_ index: Int) -> RenderedSlice {
    let subject = phantomCase.subject
    let legs = legs(index)
    let factor = supersampling
    let fineWidth = width * factor
    let fineHeight = height * factor
    let step = Float(pixelSpacing) / Float(factor)
    let originX = -Float(width) * Float(pixelSpacing) / 2 + step / 2
    let originY = -Float(height) * Float(pixelSpacing) / 2 + step / 2

    // Pass 1: the tissue at every sample, and the texture values of the
    // muscle samples, gathered per side and muscle for ranking.
    let fineCount = fineWidth * fineHeight
    var samples = [LegSection.Sample?](repeating: nil, count: fineCount)
    var sides = [UInt8](repeating: 0, count: fineCount)
    var values = [Float](repeating: 0, count: fineCount)
    // Textures, ranked values and thresholds are indexed by
    // leg * slots + muscle id.
    let slots = Muscle.allCases.count + 1
    var textures: [FatTexture] = []
    for leg in legs {
      let table = phantomCase.textures[leg.side]!
      textures.append(table[.rectusFemoris]!)
      for muscle in Muscle.allCases { textures.append(table[muscle]!) }
    }
    var ranked = [[Float]](repeating: [], count: legs.count * slots)
    for row in 0..<fineHeight {
      let Y = originY + Float(row) * step
      for column in 0..<fineWidth {
        let X = originX + Float(column) * step
        var found: LegSection.Sample?
        var foundSide = 0
        var otherDepth = -Float.infinity
        for (legIndex, leg) in legs.enumerated() {
          guard let sample = leg.sample(X, Y) else { continue }
          if found == nil || sample.skinDepth > found!.skinDepth {
            otherDepth = found?.skinDepth ?? -Float.infinity
            found = sample
            foundSide = legIndex
          } else {
            otherDepth = sample.skinDepth
          }
        }
        // Where pressed thighs meet, the two skins form one thin line.
        if var sample = found, sample.skinDepth - otherDepth < contactHalfWidth {
          sample.tissue = .skin
          sample.muscle = nil
          found = sample
        }
        let cell = row * fineWidth + column
        samples[cell] = found
        sides[cell] = UInt8(foundSide)
        guard let sample = found, sample.tissue == .muscle,
          let muscle = sample.muscle
        else { continue }
        let leg = legs[foundSide]
        let texture = textures[foundSide * slots + muscle.rawValue]
        let ellipse = leg.ellipse(of: muscle)
        let (u, v) = ellipse.local(sample.x, sample.y)
        let value = texture.value(
          x: sample.x, y: sample.y, depth: sample.depth, u: u, v: v,
          semiV: ellipse.semiV)
        values[cell] = value
        ranked[foundSide * slots + muscle.rawValue].append(value)
      }
    }
    var thresholds = [Float](repeating: .infinity, count: ranked.count)
    for (key, list) in ranked.enumerated() where !list.isEmpty {
      let sorted = list.sorted()
      let area = Double(textures[key].area)
      let position = Int((Double(sorted.count) * (1 - area)).rounded())
      thresholds[key] =
        position >= sorted.count ? .infinity : sorted[max(position, 0)]
    }

    // Pass 2: signal and fat fraction per sample, averaged per pixel.
    let fat = Float(sequence.signal(.fat))
    let muscleSignal = Float(sequence.signal(.muscle))
    let marrow =
      subject.marrowFat * Float(sequence.signal(.yellowMarrow))
      + (1 - subject.marrowFat) * Float(sequence.signal(.redMarrow))
    let fascia = Float(sequence.signal(.fascia))
    let constantByTissue: [TissueClass: Float] = [
      .air: 0, .skin: Float(sequence.signal(.skin)), .subcutaneousFat: fat,
      .fascia: fascia, .intermuscularFat: fat,
      .septum: 0.5 * fat + 0.2 * muscleSignal + 0.3 * fascia,
      .cortex: Float(sequence.signal(.cortex)), .marrow: marrow,
      .tendon: fascia,
      .vessel: Float(sequence.signal(.flowingBlood)),
      .nerve: 0.7 * Float(sequence.signal(.nerve)) + 0.3 * fat,
    ]
    let fatByTissue: [TissueClass: Float] = [
      .subcutaneousFat: 1, .intermuscularFat: 1, .septum: 0.5,
      .marrow: subject.marrowFat, .nerve: 0.3,
    ]
    var constant = [Float](repeating: 0, count: 16)
    var constantFat = [Float](repeating: 0, count: 16)
    for (tissue, value) in constantByTissue {
      constant[Int(tissue.rawValue)] = value
    }
    for (tissue, value) in fatByTissue {
      constantFat[Int(tissue.rawValue)] = value
    }
    let count = width * height
    var signal = [Float](repeating: 0, count: count)
    var fatFraction = [Float](repeating: 0, count: count)
    var labels = [UInt8](repeating: 0, count: count)
    var tissues = [TissueClass](repeating: .air, count: count)
    let share = 1 / Float(factor * factor)
    var votes = [Int](repeating: 0, count: 13)
    for row in 0..<height {
      for column in 0..<width {
        for index in 0..<votes.count { votes[index] = 0 }
        var sum: Float = 0
        var fatSum: Float = 0
        for dy in 0..<factor {
          for dx in 0..<factor {
            let cell = (row * factor + dy) * fineWidth + column * factor + dx
            guard let sample = samples[cell] else { continue }
            if sample.tissue == .muscle, let muscle = sample.muscle {
              let key = Int(sides[cell]) * slots + muscle.rawValue
              let f = textures[key].fatFraction(
                value: values[cell], threshold: thresholds[key])
              sum += f * fat + (1 - f) * muscleSignal * textures[key].brightness
              fatSum += f
              votes[muscle.rawValue] += 1
            } else {
              sum += constant[Int(sample.tissue.rawValue)]
              fatSum += constantFat[Int(sample.tissue.rawValue)]
              votes[sample.muscle?.rawValue ?? 0] += 1
            }
          }
        }
        let pixel = row * width + column
        signal[pixel] = sum * share
        fatFraction[pixel] = fatSum * share
        var bestLabel = 0
        for label in 1..<votes.count where votes[label] > votes[bestLabel] {
          bestLabel = label
        }
        labels[pixel] = UInt8(bestLabel)
        let centre =
          (row * factor + factor / 2) * fineWidth + column * factor
          + factor / 2
        tissues[pixel] = samples[centre]?.tissue ?? .air
      }
    }

    // The point spread of a finite k-space sampling softens the edges a
    // little further than the pixel area does.
    // The truth fat fraction goes through the same blur, so that it is
    // the fraction each pixel shows.
    signal = Self.blur(signal, width: width, height: height)
    fatFraction = Self.blur(fatFraction, width: width, height: height)

    // Coil sensitivity, scanner gain, Rician noise and 12-bit range.
    var random = PhantomRandom(seed: phantomCase.seed).derived(
      1000 + UInt64(index))
    let gain = subject.fatLevel / fat
    let halfWidth = Float(width) * Float(pixelSpacing) / 2
    let coils = Self.coilElements(legs)
    let reference = legs.map { leg in
      Self.coilSum(coils, leg.imageX, leg.imageY)
    }.reduce(0, +) / Float(legs.count)
    // The array's share of the sensitivity; the rest is the uniform body
    // coil.
    let arrayShare = min(2 * subject.biasRadial, 0.7)
    var bias = [Float](repeating: 1, count: count)
    var pixels = [UInt16](repeating: 0, count: count)
    for row in 0..<height {
      let Y = ((Float(row) + 0.5) - Float(height) / 2) * Float(pixelSpacing)
      for column in 0..<width {
        let X = ((Float(column) + 0.5) - Float(width) / 2) * Float(pixelSpacing)
        let pixel = row * width + column
        let array = Self.coilSum(coils, X, Y) / reference
        let sensitivity =
          ((1 - arrayShare) + arrayShare * array)
          * (1 + subject.biasX * X / halfWidth + subject.biasY * Y / halfWidth)
        bias[pixel] = sensitivity
        let clean = signal[pixel] * gain * sensitivity
        let real = clean + subject.noise * Float(random.normal())
        let imaginary = subject.noise * Float(random.normal())
        let magnitude = (real * real + imaginary * imaginary).squareRoot()
        pixels[pixel] = UInt16(min(max(magnitude.rounded(), 0), 4095))
      }
    }
    return RenderedSlice(
      width: width, height: height, pixelSpacing: pixelSpacing, location: location(index),
      pixels: pixels, labels: labels, tissues: tissues,
      fatFraction: fatFraction, bias: bias,
      muscleLevel: muscleSignal * gain, fatLevel: subject.fatLevel)
  }

  /// Convolves an image `[height, width]` with the 3 x 3 kernel
  /// [1 2 1] x [1 2 1] / 16, repeating the border pixels.
  static func blur(_ image: [Float], width: Int, height: Int) -> [Float] {
    var horizontal = image
    for row in 0..<height {
      for column in 0..<width {
        let left = image[row * width + max(column - 1, 0)]
        let right = image[row * width + min(column + 1, width - 1)]
        horizontal[row * width + column] =
          0.25 * left + 0.5 * image[row * width + column] + 0.25 * right
      }
    }
    var result = horizontal
    for row in 0..<height {
      for column in 0..<width {
        let up = horizontal[max(row - 1, 0) * width + column]
        let down = horizontal[min(row + 1, height - 1) * width + column]
        result[row * width + column] =
          0.25 * up + 0.5 * horizontal[row * width + column] + 0.25 * down
      }
    }
    return result
  }

  /// Places the receive coil elements: one in front of and one behind
  /// each thigh, 20 mm off the skin, as with an anterior array on the
  /// thighs and the table's posterior array.
  static func coilElements(_ legs: [LegSection]) -> [(Float, Float)] {
    legs.flatMap { leg -> [(Float, Float)] in
      let reach = leg.outline.semiV + 20
      return [(leg.imageX, leg.imageY - reach), (leg.imageX, leg.imageY + reach)]
    }
  }

  /// Combines the elements' sensitivities at an image point as a root sum
  /// of squares. Each element's sensitivity falls off as
  /// 1 / (1 + (d / 90 mm)^2) with distance d, a rough model of a surface
  /// coil.
  @inline(__always)
  static func coilSum(_ coils: [(Float, Float)], _ X: Float, _ Y: Float)
    -> Float
  {
    var sum: Float = 0
    for (cx, cy) in coils {
      let d2 = ((X - cx) * (X - cx) + (Y - cy) * (Y - cy)) / (90 * 90)
      let element = 1 / (1 + d2)
      sum += element * element
    }
    return sum.squareRoot()
  }
}
