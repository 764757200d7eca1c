/// The named thigh muscles of an axial mid-thigh slice. The raw value is
/// the id written in label maps (0 is everything that is not muscle).
public enum Muscle: Int, CaseIterable, Sendable, Comparable {
  case rectusFemoris = 1
  case vastusLateralis
  case vastusIntermedius
  case vastusMedialis
  case sartorius
  case gracilis
  case adductorLongus
  case adductorMagnus
  case bicepsFemorisLongHead
  case bicepsFemorisShortHead
  case semitendinosus
  case semimembranosus

  /// The anatomical name, as written in `labels.csv`.
  public var name: String {
    switch self {
    case .rectusFemoris: return "rectus femoris"
    case .vastusLateralis: return "vastus lateralis"
    case .vastusIntermedius: return "vastus intermedius"
    case .vastusMedialis: return "vastus medialis"
    case .sartorius: return "sartorius"
    case .gracilis: return "gracilis"
    case .adductorLongus: return "adductor longus"
    case .adductorMagnus: return "adductor magnus"
    case .bicepsFemorisLongHead: return "biceps femoris long head"
    case .bicepsFemorisShortHead: return "biceps femoris short head"
    case .semitendinosus: return "semitendinosus"
    case .semimembranosus: return "semimembranosus"
    }
  }

  /// The usual abbreviation, used in `grades.csv` and the manifest.
  public var abbreviation: String {
    switch self {
    case .rectusFemoris: return "RF"
    case .vastusLateralis: return "VL"
    case .vastusIntermedius: return "VI"
    case .vastusMedialis: return "VM"
    case .sartorius: return "SA"
    case .gracilis: return "GR"
    case .adductorLongus: return "AL"
    case .adductorMagnus: return "AM"
    case .bicepsFemorisLongHead: return "BFL"
    case .bicepsFemorisShortHead: return "BFS"
    case .semitendinosus: return "ST"
    case .semimembranosus: return "SM"
    }
  }

  /// The muscle with an abbreviation, or nil.
  public init?(abbreviation: String) {
    guard
      let match = Muscle.allCases.first(where: {
        $0.abbreviation == abbreviation
      })
    else { return nil }
    self = match
  }

  /// The quadriceps: rectus femoris and the three vasti.
  public var isQuadriceps: Bool {
    [.rectusFemoris, .vastusLateralis, .vastusIntermedius, .vastusMedialis]
      .contains(self)
  }

  /// The "trefoil with single fruit" of dystrophinopathy: sartorius,
  /// gracilis and adductor longus (the leaves) and semitendinosus (the
  /// fruit), spared longest.
  public static let trefoil: [Muscle] = [
    .sartorius, .gracilis, .adductorLongus, .semitendinosus,
  ]

  public static func < (lhs: Muscle, rhs: Muscle) -> Bool {
    lhs.rawValue < rhs.rawValue
  }
}

/// The patient's side of a leg.
public enum Side: String, CaseIterable, Sendable {
  /// The patient's right leg, on the left of a radiological image.
  case right = "R"
  /// The patient's left leg, on the right of a radiological image.
  case left = "L"
}
