/// The diagnosis of a phantom case: the two dystrophinopathies and the
/// other muscle diseases they are told apart from.
public enum Diagnosis: String, CaseIterable, Sendable {
  /// Duchenne muscular dystrophy.
  case duchenne = "DMD"
  /// Becker muscular dystrophy.
  case becker = "BMD"
  /// Calpainopathy (limb-girdle muscular dystrophy R1).
  case calpainopathy
  /// Dysferlinopathy (limb-girdle muscular dystrophy R2, Miyoshi).
  case dysferlinopathy
  /// Collagen VI-related myopathy (Bethlem, Ullrich).
  case collagenVI = "collagen VI"
  /// Inclusion body myositis.
  case inclusionBodyMyositis = "inclusion body myositis"
  /// Facioscapulohumeral muscular dystrophy.
  case fshd = "FSHD"
  /// Inflammatory myositis (polymyositis, dermatomyositis).
  case inflammatoryMyositis = "inflammatory myositis"
  /// Neurogenic atrophy (motor neuropathy, spinal muscular atrophy).
  case neurogenicAtrophy = "neurogenic atrophy"

  /// The subtype written in the manifest: DMD, BMD or the disease name.
  public var subtype: String { rawValue }

  /// Whether the diagnosis is a dystrophinopathy, the positive class.
  public var isDystrophinopathy: Bool {
    self == .duchenne || self == .becker
  }

  /// The binary label of the manifest.
  public var label: String {
    isDystrophinopathy ? "dystrophinopathy" : "other"
  }

  /// The diagnoses that are not dystrophinopathies.
  public static let others: [Diagnosis] = allCases.filter {
    !$0.isDystrophinopathy
  }

  /// The diagnosis whose subtype text is `text`, or nil.
  public init?(subtype text: String) {
    self.init(rawValue: text)
  }
}
