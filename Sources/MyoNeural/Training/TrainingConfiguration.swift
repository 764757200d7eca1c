/// Everything `myoscope train` needs to turn a cohort into a bundle.
public struct TrainingConfiguration: Sendable {
  /// How cases are assigned to training, validation and test.
  public enum SplitChoice: Sendable, Equatable {
    /// The manifest's split column when every case fills it, else a
    /// random split with the study's fractions and this seed.
    case automatic(seed: UInt64)
    /// A random split with these fractions.
    case random(seed: UInt64, fractions: [Double])
    /// The manifest's split column.
    case manifest
  }

  /// The cohort manifest.
  public var manifestPath: String
  /// Where the bundle goes.
  public var bundlePath: String
  /// The frozen backbone.
  public var backbone: BackboneSource
  /// The preprocessing, recorded in the bundle.
  public var input: BundleMetadata.Input = .torch
  /// The split.
  public var split: SplitChoice = .automatic(seed: 1)
  /// Augmentation of the training slices.
  public var augmentation = Augmentation()
  /// The head's hyperparameters.
  public var head = HeadOptions()
  /// Fine-tuning of the last ResNet stage after the head is trained, or
  /// nil (the default) to keep the backbone frozen.
  public var fineTune: FineTuneOptions?
  /// The feature cache folder, or nil for no cache.
  public var cacheFolder: String?
  /// The bundle's name.
  public var name = "trained"
  /// The demonstration warning to store, or nil for a real model.
  public var demoLabel: String?
  /// Case probability at or above which a case is positive.
  public var threshold = 0.5
  /// How slice probabilities combine into a case probability.
  public var caseRule: BundleMetadata.CaseRule = .mean

  /// Creates a configuration with the study's defaults.
  public init(manifestPath: String, bundlePath: String, backbone: BackboneSource) {
    self.manifestPath = manifestPath
    self.bundlePath = bundlePath
    self.backbone = backbone
  }
}
