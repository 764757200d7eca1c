/// A grade of fat infiltration on the Mercuri scale, coded 0 to 5.
public enum MercuriGrade: Int, CaseIterable, Sendable, Comparable {
  /// Normal muscle.
  case normal = 0
  /// Early moth-eaten: scattered small areas of fat.
  case grade1
  /// Late moth-eaten: confluent areas, under 30% of the muscle.
  case grade2a
  /// Late moth-eaten: confluent areas, 30% to 60% of the muscle.
  case grade2b
  /// Washed-out: fused confluent fat, only a rim of muscle left.
  case grade3
  /// End stage: fat with only fascia and vessels left.
  case grade4

  /// The grade as readers write it: 0, 1, 2a, 2b, 3 or 4.
  public var text: String {
    switch self {
    case .normal: return "0"
    case .grade1: return "1"
    case .grade2a: return "2a"
    case .grade2b: return "2b"
    case .grade3: return "3"
    case .grade4: return "4"
    }
  }

  /// The grade written as `text`, or nil.
  public init?(text: String) {
    guard let match = MercuriGrade.allCases.first(where: { $0.text == text })
    else { return nil }
    self = match
  }

  /// The fraction of the muscle's cross-section that the texture turns
  /// to fat: the midpoint drawn for a case and the range it is drawn
  /// from. Grade 2a and 2b bounds are the scale's 30% and 60%.
  public var fatAreaRange: ClosedRange<Double> {
    switch self {
    case .normal: return 0...0
    case .grade1: return 0.04...0.10
    case .grade2a: return 0.14...0.27
    case .grade2b: return 0.34...0.56
    case .grade3: return 0.70...0.85
    case .grade4: return 0.97...1.0
    }
  }

  /// The mean fat fraction a muscle of this grade shows on the rendered
  /// image, spots and background together; the tests check rendered
  /// muscles against it.
  public var fatFractionRange: ClosedRange<Double> {
    switch self {
    case .normal: return 0...0.08
    case .grade1: return 0.05...0.17
    case .grade2a: return 0.14...0.33
    case .grade2b: return 0.30...0.62
    case .grade3: return 0.60...0.92
    case .grade4: return 0.85...1.0
    }
  }

  public static func < (lhs: MercuriGrade, rhs: MercuriGrade) -> Bool {
    lhs.rawValue < rhs.rawValue
  }
}
