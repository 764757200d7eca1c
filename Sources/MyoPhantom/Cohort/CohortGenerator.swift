/// Draws a cohort of phantom cases from a seed: diagnoses in the
/// requested proportions, subjects, grades and the data split.
public struct CohortGenerator: Sendable {
  /// Number of cases.
  public var caseCount: Int
  /// The seed; the same seed gives the same cohort.
  public var seed: UInt64
  /// Fraction of dystrophinopathy cases (about one third in the study:
  /// 148 of 432).
  public var dystrophinopathyFraction = 148.0 / 432.0
  /// Fraction of Duchenne among the dystrophinopathies (117 of 148).
  public var duchenneFraction = 117.0 / 148.0
  /// Fractions of the training and validation sets; the rest is the test
  /// set (233, 97 and 102 of 432 cases).
  public var trainingFraction = 233.0 / 432.0
  public var validationFraction = 97.0 / 432.0
  /// The format of every case, or nil to rotate DICOM, PNG and NIfTI.
  public var format: PhantomFormat?

  /// Creates a generator.
  public init(caseCount: Int, seed: UInt64, format: PhantomFormat? = nil) {
    self.caseCount = caseCount
    self.seed = seed
    self.format = format
  }

  /// Draws the diagnoses in case order. The counts follow the fractions,
  /// and the order is shuffled so that case numbers reveal nothing.
  public func diagnoses() -> [Diagnosis] {
    var random = PhantomRandom(seed: seed).derived(1)
    let positives = Int(
      (Double(caseCount) * dystrophinopathyFraction).rounded())
    let duchenne = Int((Double(positives) * duchenneFraction).rounded())
    var list: [Diagnosis] = []
    list += Array(repeating: .duchenne, count: duchenne)
    list += Array(repeating: .becker, count: positives - duchenne)
    var others = Diagnosis.others
    random.shuffle(&others)
    for index in 0..<(caseCount - positives) {
      list.append(others[index % others.count])
    }
    random.shuffle(&list)
    return list
  }

  /// Draws the splits in case order, shuffled independently of the
  /// diagnoses.
  public func splits() -> [String] {
    var random = PhantomRandom(seed: seed).derived(2)
    let training = Int((Double(caseCount) * trainingFraction).rounded())
    let validation = Int((Double(caseCount) * validationFraction).rounded())
    var list = Array(repeating: "train", count: training)
    list += Array(repeating: "validation", count: validation)
    list += Array(
      repeating: "test", count: max(0, caseCount - training - validation))
    random.shuffle(&list)
    return list
  }

  /// Draws every case of the cohort.
  public func cases() -> [PhantomCase] {
    let diagnoses = diagnoses()
    let splits = splits()
    return (0..<caseCount).map { index in
      makeCase(
        number: index + 1, diagnosis: diagnoses[index],
        split: splits[index],
        format: format ?? PhantomFormat.allCases[index % 3])
    }
  }

  /// Draws one case from its own stream, so that it does not depend on
  /// the others.
  public func makeCase(
    number: Int, diagnosis: Diagnosis, split: String, format: PhantomFormat
  ) -> PhantomCase {
    let caseSeed = PhantomRandom.mix(seed ^ PhantomRandom.mix(UInt64(number)))
    var random = PhantomRandom(seed: caseSeed)
    let profile = DiseaseProfile.of(diagnosis)

    let age = random.integer(profile.ages)
    let sex: Subject.Sex =
      profile.maleOnly || random.chance(0.5) ? .male : .female
    var severity: Double
    if let byAge = profile.severityByAge {
      severity = byAge(Double(age)) + random.normal(mean: 0, deviation: 0.1)
    } else {
      severity = random.uniform(0...1)
    }
    severity = min(max(severity, 0), 1)

    // A shared jitter per case moves every muscle together, so that the
    // profile's order holds; each muscle and side adds its own.
    let caseJitter = random.normal(mean: 0, deviation: 0.2)
    var grades: [Side: [Muscle: MercuriGrade]] = [:]
    var textures: [Side: [Muscle: FatTexture]] = [:]
    var bulk: [Side: [Muscle: Float]] = [:]
    var muscleJitter: [Muscle: Double] = [:]
    for muscle in Muscle.allCases {
      muscleJitter[muscle] = random.normal(
        mean: 0, deviation: profile.spread)
    }
    for side in Side.allCases {
      for muscle in Muscle.allCases {
        let jitter =
          caseJitter + muscleJitter[muscle]!
          + random.normal(mean: 0, deviation: profile.asymmetry)
        let grade = profile.grade(
          of: muscle, severity: severity, jitter: jitter)
        grades[side, default: [:]][muscle] = grade
        let pattern = profile.textures[muscle] ?? .mothEaten
        textures[side, default: [:]][muscle] = FatTexture(
          grade: grade, pattern: pattern, random: &random)
        let loss = profile.atrophy * Double(grade.rawValue) / 5
        let growth = (profile.hypertrophy[muscle] ?? 0) * severity
        bulk[side, default: [:]][muscle] = Float((1 - loss) * (1 + growth))
      }
    }
    let subject = Subject.draw(
      age: age, sex: sex, atrophy: Float(profile.atrophy * severity * 0.3),
      random: &random)
    return PhantomCase(
      id: "PH" + zeroPadded(number), number: number,
      diagnosis: diagnosis, severity: severity, grades: grades,
      subject: subject, split: split, format: format, seed: caseSeed,
      textures: textures, muscleBulk: bulk)
  }
}

/// Formats a number with leading zeros to four digits.
func zeroPadded(_ number: Int) -> String {
  let digits = String(number)
  return String(repeating: "0", count: Swift.max(0, 4 - digits.count))
    + digits
}
