/// The disease tables. Each row gives a muscle's Mercuri grade range from
/// the mildest case (severity 0) to the most severe (severity 1). The
/// comment above each table names the pattern it encodes.
extension DiseaseProfile {
  /// Returns the profile of a diagnosis.
  public static func of(_ diagnosis: Diagnosis) -> DiseaseProfile {
    switch diagnosis {
    case .duchenne: return duchenne
    case .becker: return becker
    case .calpainopathy: return calpainopathy
    case .dysferlinopathy: return dysferlinopathy
    case .collagenVI: return collagenVI
    case .inclusionBodyMyositis: return inclusionBodyMyositis
    case .fshd: return fshd
    case .inflammatoryMyositis: return inflammatoryMyositis
    case .neurogenicAtrophy: return neurogenicAtrophy
    }
  }

  /// Duchenne: adductor magnus, the quadriceps and biceps femoris first
  /// and most; semimembranosus intermediate; gracilis, sartorius, adductor
  /// longus and semitendinosus spared longest (gracilis most), the
  /// "trefoil with single fruit". Severity grows with age, from about 4
  /// years to about 15.
  static let duchenne = DiseaseProfile(
    diagnosis: .duchenne,
    grades: [
      .adductorMagnus: .grade1 ... .grade4,
      .vastusLateralis: .grade1 ... .grade4,
      .vastusIntermedius: .grade1 ... .grade4,
      .rectusFemoris: .grade1 ... .grade4,
      .vastusMedialis: .grade1 ... .grade3,
      .bicepsFemorisLongHead: .grade1 ... .grade4,
      .bicepsFemorisShortHead: .grade1 ... .grade3,
      .semimembranosus: .normal ... .grade3,
      .semitendinosus: .normal ... .grade2a,
      .adductorLongus: .normal ... .grade2a,
      .sartorius: .normal ... .grade1,
      .gracilis: .normal ... .grade1,
    ],
    asymmetry: 0.2, ages: 4...16, maleOnly: true, atrophy: 0,
    hypertrophy: [.sartorius: 0.12, .gracilis: 0.12, .semitendinosus: 0.05],
    textures: [:],
    severityByAge: { age in (age - 4) / 11 })

  /// Becker: the same order as Duchenne but milder, and the anterior
  /// thigh (quadriceps) more affected than the posterior.
  static let becker = DiseaseProfile(
    diagnosis: .becker,
    grades: [
      .vastusLateralis: .grade1 ... .grade4,
      .vastusIntermedius: .grade1 ... .grade4,
      .vastusMedialis: .grade1 ... .grade3,
      .rectusFemoris: .grade1 ... .grade3,
      .adductorMagnus: .grade1 ... .grade3,
      .bicepsFemorisLongHead: .normal ... .grade2b,
      .bicepsFemorisShortHead: .normal ... .grade2b,
      .semimembranosus: .normal ... .grade2a,
      .semitendinosus: .normal ... .grade1,
      .adductorLongus: .normal ... .grade1,
      .sartorius: .normal ... .grade1,
      .gracilis: .normal ... .normal,
    ],
    asymmetry: 0.25, ages: 8...55, maleOnly: true, atrophy: 0,
    textures: [:],
    severityByAge: { age in (age - 8) / 45 })

  /// Calpainopathy: the adductors and hamstrings, with sartorius and
  /// gracilis spared; the quadriceps later and less.
  static let calpainopathy = DiseaseProfile(
    diagnosis: .calpainopathy,
    grades: [
      .adductorMagnus: .grade1 ... .grade4,
      .semimembranosus: .grade1 ... .grade4,
      .bicepsFemorisLongHead: .grade1 ... .grade4,
      .adductorLongus: .grade1 ... .grade3,
      .semitendinosus: .normal ... .grade3,
      .bicepsFemorisShortHead: .normal ... .grade3,
      .vastusIntermedius: .normal ... .grade2b,
      .vastusMedialis: .normal ... .grade2b,
      .vastusLateralis: .normal ... .grade2a,
      .rectusFemoris: .normal ... .grade1,
      .gracilis: .normal ... .grade1,
      .sartorius: .normal ... .normal,
    ],
    asymmetry: 0.25, ages: 12...55, maleOnly: false, atrophy: 0.05,
    textures: [:], severityByAge: nil)

  /// Dysferlinopathy: adductor magnus and the quadriceps, with sartorius
  /// and gracilis spared.
  static let dysferlinopathy = DiseaseProfile(
    diagnosis: .dysferlinopathy,
    grades: [
      .adductorMagnus: .grade1 ... .grade4,
      .vastusLateralis: .grade1 ... .grade4,
      .vastusIntermedius: .grade1 ... .grade4,
      .vastusMedialis: .grade1 ... .grade4,
      .rectusFemoris: .normal ... .grade3,
      .adductorLongus: .normal ... .grade3,
      .semimembranosus: .normal ... .grade3,
      .bicepsFemorisLongHead: .normal ... .grade2b,
      .bicepsFemorisShortHead: .normal ... .grade2b,
      .semitendinosus: .normal ... .grade2a,
      .sartorius: .normal ... .grade1,
      .gracilis: .normal ... .grade1,
    ],
    asymmetry: 0.3, ages: 16...60, maleOnly: false, atrophy: 0.05,
    textures: [:], severityByAge: nil)

  /// Collagen VI: the "sandwich" sign in vastus lateralis (a rim of fat
  /// around spared central muscle) and the "central shadow" in rectus
  /// femoris; the rest mild.
  static let collagenVI = DiseaseProfile(
    diagnosis: .collagenVI,
    grades: [
      .vastusLateralis: .grade2a ... .grade3,
      .rectusFemoris: .grade1 ... .grade2b,
      .vastusIntermedius: .grade1 ... .grade2b,
      .vastusMedialis: .grade1 ... .grade2b,
      .adductorMagnus: .normal ... .grade2b,
      .bicepsFemorisLongHead: .normal ... .grade2a,
      .semimembranosus: .normal ... .grade2a,
      .bicepsFemorisShortHead: .normal ... .grade1,
      .semitendinosus: .normal ... .grade1,
      .adductorLongus: .normal ... .grade1,
      .sartorius: .normal ... .grade1,
      .gracilis: .normal ... .normal,
    ],
    asymmetry: 0.2, ages: 6...45, maleOnly: false, atrophy: 0.05,
    textures: [
      .vastusLateralis: .peripheral, .vastusIntermedius: .peripheral,
      .rectusFemoris: .central,
    ],
    severityByAge: nil)

  /// Inclusion body myositis: the vasti (worst distally), with rectus
  /// femoris relatively spared; sartorius and the medial muscles later.
  static let inclusionBodyMyositis = DiseaseProfile(
    diagnosis: .inclusionBodyMyositis,
    grades: [
      .vastusLateralis: .grade2a ... .grade4,
      .vastusIntermedius: .grade2a ... .grade4,
      .vastusMedialis: .grade2a ... .grade4,
      .adductorMagnus: .normal ... .grade2b,
      .sartorius: .normal ... .grade2b,
      .semimembranosus: .normal ... .grade2a,
      .bicepsFemorisLongHead: .normal ... .grade2a,
      .adductorLongus: .normal ... .grade2a,
      .gracilis: .normal ... .grade1,
      .semitendinosus: .normal ... .grade1,
      .bicepsFemorisShortHead: .normal ... .grade1,
      .rectusFemoris: .normal ... .grade1,
    ],
    asymmetry: 0.45, ages: 50...80, maleOnly: false, atrophy: 0.1,
    textures: [:], severityByAge: nil)

  /// FSHD: semimembranosus, semitendinosus and adductor magnus, often
  /// asymmetric between the legs.
  static let fshd = DiseaseProfile(
    diagnosis: .fshd,
    grades: [
      .semimembranosus: .grade1 ... .grade4,
      .adductorMagnus: .grade1 ... .grade4,
      .semitendinosus: .normal ... .grade4,
      .bicepsFemorisLongHead: .normal ... .grade3,
      .rectusFemoris: .normal ... .grade2b,
      .vastusMedialis: .normal ... .grade2a,
      .bicepsFemorisShortHead: .normal ... .grade2a,
      .vastusLateralis: .normal ... .grade1,
      .vastusIntermedius: .normal ... .grade1,
      .adductorLongus: .normal ... .grade1,
      .gracilis: .normal ... .grade1,
      .sartorius: .normal ... .grade1,
    ],
    asymmetry: 0.9, ages: 15...65, maleOnly: false, atrophy: 0.05,
    textures: [:], severityByAge: nil)

  /// Inflammatory myositis: patchy fat of moderate degree, more in the
  /// vasti and adductor magnus. The oedema that marks active disease
  /// shows on STIR, not on T1, so it is not rendered.
  static let inflammatoryMyositis = DiseaseProfile(
    diagnosis: .inflammatoryMyositis,
    grades: [
      .vastusLateralis: .normal ... .grade2b,
      .vastusIntermedius: .normal ... .grade2b,
      .adductorMagnus: .normal ... .grade2b,
      .vastusMedialis: .normal ... .grade2a,
      .rectusFemoris: .normal ... .grade2a,
      .bicepsFemorisLongHead: .normal ... .grade2a,
      .semimembranosus: .normal ... .grade2a,
      .adductorLongus: .normal ... .grade1,
      .bicepsFemorisShortHead: .normal ... .grade1,
      .semitendinosus: .normal ... .grade1,
      .sartorius: .normal ... .grade1,
      .gracilis: .normal ... .grade1,
    ],
    asymmetry: 0.4, ages: 20...70, maleOnly: false, atrophy: 0.05,
    textures: Dictionary(
      uniqueKeysWithValues: Muscle.allCases.map { ($0, FatPattern.patchy) }),
    severityByAge: nil)

  /// Neurogenic atrophy: loss of muscle bulk with diffuse fat, without a
  /// myopathic selection, and often asymmetric.
  static let neurogenicAtrophy = DiseaseProfile(
    diagnosis: .neurogenicAtrophy,
    grades: Dictionary(
      uniqueKeysWithValues: Muscle.allCases.map {
        ($0, MercuriGrade.normal ... MercuriGrade.grade3)
      }),
    asymmetry: 0.8, spread: 0.9, ages: 10...70, maleOnly: false,
    atrophy: 0.3,
    textures: [:], severityByAge: nil)
}
