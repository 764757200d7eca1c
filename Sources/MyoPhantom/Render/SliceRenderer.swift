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

  /// The slab position of slice `index`: -1 at the distal end (slice 0)
  /// to +1 at the proximal end.
  public func slabPosition(_ index: Int) -> Float {
    sliceCount > 1 ? Float(2 * index) / Float(sliceCount - 1) - 1 : 0
  }

  /// The feet-head location of slice `index`, millimetres, increasing
  /// towards the head.
  public func location(_ index: Int) -> Double {
    Double(index - (sliceCount - 1) / 2) * sliceSpacing - 180
  }

  /// The two legs laid out on slice `index`.
  func legs(_ index: Int) -> [LegSection] {
    let subject = phantomCase.subject
    let t = slabPosition(index)
    // The thighs part a little towards the knee.
    let gap = subject.gap - 3 * t
    return Side.allCases.map { side in
      let shape = subject.legs[side]!
      let half = shape.semiX * (1 + shape.taper * t)
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
    var ranked: [Int: [Float]] = [:]
    for row in 0..<fineHeight {
      let Y = originY + Float(row) * step
      for column in 0..<fineWidth {
        let X = originX + Float(column) * step
        var found: LegSection.Sample?
        var foundSide = 0
        for (legIndex, leg) in legs.enumerated() {
          guard let sample = leg.sample(X, Y) else { continue }
          if found == nil || sample.skinDepth > found!.skinDepth {
            found = sample
            foundSide = legIndex
          }
        }
        let cell = row * fineWidth + column
        samples[cell] = found
        sides[cell] = UInt8(foundSide)
        guard let sample = found, let muscle = sample.muscle else { continue }
        let leg = legs[foundSide]
        let texture = phantomCase.textures[leg.side]![muscle]!
        let ellipse = leg.muscles[muscle.rawValue - 1]
        let (u, v) = ellipse.local(sample.x, sample.y)
        let value = texture.value(
          x: sample.x, y: sample.y, depth: sample.depth, u: u, v: v,
          semiV: ellipse.semiV)
        values[cell] = value
        ranked[foundSide * 256 + muscle.rawValue, default: []].append(value)
      }
    }
    var thresholds: [Int: Float] = [:]
    for (key, list) in ranked {
      let side = legs[key / 256].side
      let muscle = Muscle(rawValue: key % 256)!
      let area = phantomCase.textures[side]![muscle]!.area
      let sorted = list.sorted()
      let position = Int((Double(sorted.count) * Double(1 - area)).rounded())
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
    let constant: [TissueClass: Float] = [
      .air: 0, .skin: Float(sequence.signal(.skin)), .subcutaneousFat: fat,
      .fascia: fascia, .intermuscularFat: fat,
      .septum: 0.5 * fat + 0.2 * muscleSignal + 0.3 * fascia,
      .cortex: Float(sequence.signal(.cortex)), .marrow: marrow,
      .vessel: Float(sequence.signal(.flowingBlood)),
      .nerve: 0.7 * Float(sequence.signal(.nerve)) + 0.3 * fat,
    ]
    let constantFat: [TissueClass: Float] = [
      .subcutaneousFat: 1, .intermuscularFat: 1, .septum: 0.5,
      .marrow: subject.marrowFat, .nerve: 0.3,
    ]
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
            if let muscle = sample.muscle {
              let side = legs[Int(sides[cell])].side
              let key = Int(sides[cell]) * 256 + muscle.rawValue
              let texture = phantomCase.textures[side]![muscle]!
              let f = texture.fatFraction(
                value: values[cell], threshold: thresholds[key]!)
              sum += f * fat + (1 - f) * muscleSignal
              fatSum += f
              votes[muscle.rawValue] += 1
            } else {
              sum += constant[sample.tissue]!
              fatSum += constantFat[sample.tissue] ?? 0
              votes[0] += 1
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
    signal = Self.blur(signal, width: width, height: height)

    // Coil sensitivity, scanner gain, Rician noise and 12-bit range.
    var random = PhantomRandom(seed: phantomCase.seed).derived(
      1000 + UInt64(index))
    let gain = subject.fatLevel / fat
    let halfWidth = Float(width) * Float(pixelSpacing) / 2
    var bias = [Float](repeating: 1, count: count)
    var pixels = [UInt16](repeating: 0, count: count)
    for row in 0..<height {
      let y =
        ((Float(row) + 0.5) - Float(height) / 2) * Float(pixelSpacing)
        / halfWidth
      for column in 0..<width {
        let x = (Float(column) + 0.5) * Float(pixelSpacing) / halfWidth - 1
        let pixel = row * width + column
        let sensitivity =
          1 + subject.biasRadial * (x * x + 3 * y * y - 0.4)
          + subject.biasX * x + subject.biasY * y
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
}
