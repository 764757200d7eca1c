/// One synthetic case: who the subject is, the diagnosis and the truth of
/// every muscle, and how its files are written.
public struct PhantomCase: Sendable {
  /// The case id, also the folder name: PH0001, PH0002, ...
  public var id: String
  /// The 1-based number of the case in the cohort.
  public var number: Int
  /// The diagnosis.
  public var diagnosis: Diagnosis
  /// The disease severity from 0 to 1 that the grades follow.
  public var severity: Double
  /// The Mercuri grade of each muscle on each side.
  public var grades: [Side: [Muscle: MercuriGrade]]
  /// The subject.
  public var subject: Subject
  /// The data split: train, validation or test.
  public var split: String
  /// The file format.
  public var format: PhantomFormat
  /// The seed of the case's own random streams.
  public var seed: UInt64
  /// The fat textures, per side and muscle.
  var textures: [Side: [Muscle: FatTexture]]
  /// Per muscle, the factor on its radii from atrophy.
  var muscleBulk: [Side: [Muscle: Float]]

  /// The grade of a muscle on a side.
  public func grade(_ muscle: Muscle, _ side: Side) -> MercuriGrade {
    grades[side]?[muscle] ?? .normal
  }
}

/// The file format of a case's slices.
public enum PhantomFormat: String, Sendable, CaseIterable {
  /// One DICOM file per slice (explicit VR little endian).
  case dicom
  /// One 16-bit gray PNG per slice.
  case png
  /// One gzip-compressed NIfTI-1 volume.
  case nifti
}
