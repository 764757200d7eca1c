/// The fat infiltration pattern of a disease: per muscle, the Mercuri
/// grade at the mildest and at the most severe case, and the texture.
///
/// A case draws a severity from 0 to 1; each muscle's grade is
/// interpolated between the ends of its range, with a small jitter that
/// never leaves the range. The tables are in `DiseaseProfile+Tables.swift`.
public struct DiseaseProfile: Sendable {
  /// The diagnosis this profile renders.
  public let diagnosis: Diagnosis
  /// Per muscle, the grade at severity 0 and at severity 1.
  public let grades: [Muscle: ClosedRange<MercuriGrade>]
  /// Standard deviation of the grade difference between the two sides, in
  /// grade steps; FSHD and neurogenic atrophy are asymmetric.
  public let asymmetry: Double
  /// Standard deviation of each muscle's own grade jitter, in grade steps.
  public var spread: Double = 0.3
  /// Ages in years of the cases.
  public let ages: ClosedRange<Int>
  /// Whether all cases are male (the X-linked dystrophinopathies).
  public let maleOnly: Bool
  /// Loss of muscle bulk at severity 1, as a fraction of the muscle's
  /// radii.
  public let atrophy: Double
  /// Growth of spared muscles at severity 1, as a fraction of their
  /// radii: the compensatory hypertrophy of sartorius and gracilis in
  /// Duchenne.
  public var hypertrophy: [Muscle: Double] = [:]
  /// Textures other than the moth-eaten default, per muscle.
  public let textures: [Muscle: FatPattern]
  /// The severity of a case of this age, before jitter: nil when
  /// severity does not follow age and is drawn uniformly.
  public let severityByAge: (@Sendable (Double) -> Double)?

  /// Returns the grade range of a muscle. Muscles missing from the table
  /// are normal.
  public func range(of muscle: Muscle) -> ClosedRange<MercuriGrade> {
    grades[muscle] ?? MercuriGrade.normal...MercuriGrade.normal
  }

  /// The muscles from the most to the least involved: by the grade at
  /// severity 1, then at severity 0, then by id.
  public var involvementOrder: [Muscle] {
    Muscle.allCases.sorted { a, b in
      let (ra, rb) = (range(of: a), range(of: b))
      if ra.upperBound != rb.upperBound {
        return ra.upperBound > rb.upperBound
      }
      if ra.lowerBound != rb.lowerBound {
        return ra.lowerBound > rb.lowerBound
      }
      return a < b
    }
  }

  /// Returns the grade that `severity` gives, plus a jitter in grade
  /// steps, kept inside the muscle's range.
  public func grade(
    of muscle: Muscle, severity: Double, jitter: Double
  ) -> MercuriGrade {
    let range = range(of: muscle)
    let low = Double(range.lowerBound.rawValue)
    let high = Double(range.upperBound.rawValue)
    let value = low + severity * (high - low) + jitter
    let clamped = min(max(value.rounded(), low), high)
    return MercuriGrade(rawValue: Int(clamped)) ?? .normal
  }
}

/// The arrangement of fat inside an infiltrated muscle.
public enum FatPattern: String, Sendable {
  /// Spots that grow and merge with the grade (the Mercuri pictures).
  case mothEaten
  /// Fat at the periphery with a spared centre: the "sandwich" sign of
  /// collagen VI myopathy in vastus lateralis.
  case peripheral
  /// Fat along the central aponeurosis: the "central shadow" of collagen
  /// VI myopathy in rectus femoris.
  case central
  /// Large irregular patches, as in inflammatory myositis.
  case patchy
}
