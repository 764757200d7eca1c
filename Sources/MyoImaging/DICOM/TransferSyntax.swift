/// A DICOM transfer syntax (PS3.5 section 10 and annex A).
public struct TransferSyntax: Sendable, Equatable {
  /// The UID, such as 1.2.840.10008.1.2.1.
  public let uid: String

  /// Creates a transfer syntax from its UID.
  public init(uid: String) { self.uid = uid }

  /// Implicit VR little endian, the default of PS3.5 section A.1.
  public static let implicitLittle = TransferSyntax(uid: "1.2.840.10008.1.2")
  /// Explicit VR little endian.
  public static let explicitLittle = TransferSyntax(
    uid: "1.2.840.10008.1.2.1")
  /// Deflated explicit VR little endian.
  public static let deflatedExplicitLittle = TransferSyntax(
    uid: "1.2.840.10008.1.2.1.99")
  /// Explicit VR big endian, retired but still found in archives.
  public static let explicitBig = TransferSyntax(uid: "1.2.840.10008.1.2.2")

  /// Whether elements carry their VR.
  public var isExplicitVR: Bool { self != .implicitLittle }
  /// Whether binary values are big endian.
  public var isBigEndian: Bool { self == .explicitBig }
  /// Whether the data set after the file meta group is deflated.
  public var isDeflated: Bool { self == .deflatedExplicitLittle }
  /// Whether pixel data are encapsulated (compressed) fragments.
  public var isEncapsulated: Bool {
    !(self == .implicitLittle || self == .explicitLittle
      || self == .explicitBig || self == .deflatedExplicitLittle)
  }

  /// A readable name for messages and `myoscope info`.
  public var name: String {
    TransferSyntax.names[uid] ?? "transfer syntax \(uid)"
  }

  private static let names: [String: String] = [
    "1.2.840.10008.1.2": "implicit VR little endian",
    "1.2.840.10008.1.2.1": "explicit VR little endian",
    "1.2.840.10008.1.2.1.99": "deflated explicit VR little endian",
    "1.2.840.10008.1.2.2": "explicit VR big endian",
    "1.2.840.10008.1.2.5": "RLE lossless",
    "1.2.840.10008.1.2.4.50": "JPEG baseline (process 1)",
    "1.2.840.10008.1.2.4.51": "JPEG extended (processes 2 and 4)",
    "1.2.840.10008.1.2.4.57": "JPEG lossless (process 14)",
    "1.2.840.10008.1.2.4.70":
      "JPEG lossless (process 14, selection value 1)",
    "1.2.840.10008.1.2.4.80": "JPEG-LS lossless",
    "1.2.840.10008.1.2.4.81": "JPEG-LS near-lossless",
    "1.2.840.10008.1.2.4.90": "JPEG 2000 lossless",
    "1.2.840.10008.1.2.4.91": "JPEG 2000",
  ]
}
