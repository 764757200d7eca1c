import Foundation
import MyoSupport
import MyoImaging

/// Writes a de-identified copy of a DICOM file by rewriting its elements.
///
/// The approach is the "retain safe" variant of the basic application
/// level confidentiality profile (PS3.15 annex E.1.1). Only the attributes
/// needed to display the image are kept: the image pixel module of group
/// 0028, the pixel data, geometry, and acquisition parameters such as TR
/// and TE. Names, ids, dates, descriptions, other free text, private tags
/// and sequences are all dropped. Patient name and id become the
/// pseudonym, the study, series and instance UIDs are replaced by new
/// 2.25 UIDs, and Patient Identity Removed (0012,0062) is YES.
public enum DICOMDeidentifier {
  /// Attributes outside group 0028 that are kept.
  static let retained: Set<DICOMTag> = [
    DICOMTag(0x0008, 0x0005),  // Specific Character Set
    DICOMTag(0x0008, 0x0008),  // Image Type
    DICOMTag(0x0008, 0x0016),  // SOP Class UID
    DICOMTag(0x0008, 0x0060),  // Modality
    DICOMTag(0x0018, 0x0020),  // Scanning Sequence
    DICOMTag(0x0018, 0x0021),  // Sequence Variant
    DICOMTag(0x0018, 0x0023),  // MR Acquisition Type
    DICOMTag(0x0018, 0x0050),  // Slice Thickness
    DICOMTag(0x0018, 0x0080),  // Repetition Time
    DICOMTag(0x0018, 0x0081),  // Echo Time
    DICOMTag(0x0018, 0x0082),  // Inversion Time
    DICOMTag(0x0018, 0x0087),  // Magnetic Field Strength
    DICOMTag(0x0018, 0x0088),  // Spacing Between Slices
    DICOMTag(0x0018, 0x1314),  // Flip Angle
    DICOMTag(0x0018, 0x5100),  // Patient Position
    DICOMTag(0x0020, 0x0013),  // Instance Number
    DICOMTag(0x0020, 0x0020),  // Patient Orientation
    DICOMTag(0x0020, 0x0032),  // Image Position (Patient)
    DICOMTag(0x0020, 0x0037),  // Image Orientation (Patient)
    DICOMTag(0x0020, 0x1041),  // Slice Location
    DICOMTag(0x7FE0, 0x0010),  // Pixel Data
  ]

  /// Group 0028 attributes that may hold free text, dropped with the rest.
  static let droppedImageText: Set<DICOMTag> = [
    DICOMTag(0x0028, 0x1055),  // Window Center & Width Explanation
    DICOMTag(0x0028, 0x2000),  // ICC Profile
  ]

  /// VRs whose explicit encoding has a 32-bit length (PS3.5 7.1.2).
  static let longVRs: Set<String> = [
    "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT", "SV", "UV",
  ]

  /// Returns the de-identified file for `bytes`, with `pseudonym` as
  /// patient name and id; `salt` makes the new UIDs unique to the study.
  public static func deidentify(
    _ bytes: [UInt8], path: String, pseudonym: String, salt: String,
    index: Int
  ) throws -> [UInt8] {
    let file = try DICOMParser().parse(bytes, path: path)
    var syntax = file.transferSyntax
    if syntax.isDeflated { syntax = .explicitLittle }
    let writer = ElementWriter(
      explicit: syntax.isExplicitVR, bigEndian: syntax.isBigEndian)
    let data = file.dataSet

    let sopClass = data.string(DICOMTag(0x0008, 0x0016))
      ?? file.meta.string(DICOMTag(0x0002, 0x0002))
      ?? "1.2.840.10008.5.1.4.1.1.4"
    let studyUID = uid(salt, pseudonym, "study")
    let seriesUID = uid(salt, pseudonym, "series")
    let instanceUID = uid(salt, pseudonym, "instance \(index)")

    var elements: [(DICOMTag, [UInt8])] = []
    for tag in data.order {
      guard let element = data[tag] else { continue }
      let keep =
        (tag.group == 0x0028 && !droppedImageText.contains(tag))
        || retained.contains(tag)
      guard keep, !tag.isPrivate, element.vr != "SQ", element.items.isEmpty
      else { continue }
      if tag == DICOMTag(0x0008, 0x0016) { continue }
      var encoded: [UInt8]
      if let fragments = element.fragments {
        encoded = writer.encapsulated(
          tag: tag, fragments: fragments.map { Array(data.buffer[$0]) })
      } else {
        encoded = writer.element(
          tag: tag, vr: element.vr, value: Array(data.buffer[element.valueRange]))
      }
      elements.append((tag, encoded))
    }
    let replacements: [(DICOMTag, String, String)] = [
      (DICOMTag(0x0008, 0x0016), "UI", sopClass),
      (DICOMTag(0x0008, 0x0018), "UI", instanceUID),
      (DICOMTag(0x0010, 0x0010), "PN", pseudonym),
      (DICOMTag(0x0010, 0x0020), "LO", pseudonym),
      (DICOMTag(0x0012, 0x0062), "CS", "YES"),
      (DICOMTag(0x0012, 0x0063), "LO", "myoscope retain-safe basic profile"),
      (DICOMTag(0x0020, 0x000D), "UI", studyUID),
      (DICOMTag(0x0020, 0x000E), "UI", seriesUID),
    ]
    for (tag, vr, text) in replacements {
      elements.append((tag, writer.element(tag: tag, vr: vr, value: Array(text.utf8))))
    }
    elements.sort { $0.0 < $1.0 }

    let metaWriter = ElementWriter(explicit: true, bigEndian: false)
    var meta: [UInt8] = []
    meta += metaWriter.element(tag: DICOMTag(0x0002, 0x0001), vr: "OB", value: [0, 1])
    meta += metaWriter.element(
      tag: DICOMTag(0x0002, 0x0002), vr: "UI", value: Array(sopClass.utf8))
    meta += metaWriter.element(
      tag: DICOMTag(0x0002, 0x0003), vr: "UI", value: Array(instanceUID.utf8))
    meta += metaWriter.element(
      tag: DICOMTag(0x0002, 0x0010), vr: "UI", value: Array(syntax.uid.utf8))
    meta += metaWriter.element(
      tag: DICOMTag(0x0002, 0x0012), vr: "UI",
      value: Array("2.25.329800735698586629295641978511506172918".utf8))
    meta += metaWriter.element(
      tag: DICOMTag(0x0002, 0x0013), vr: "SH", value: Array("MYOSCOPE".utf8))
    var length = [UInt8]()
    let count = UInt32(meta.count)
    for shift in [0, 8, 16, 24] { length.append(UInt8(truncatingIfNeeded: count >> UInt32(shift))) }
    let groupLength = metaWriter.element(tag: DICOMTag(0x0002, 0x0000), vr: "UL", value: length)

    var output = [UInt8](repeating: 0, count: 128) + Array("DICM".utf8)
    output += groupLength + meta
    for (_, encoded) in elements { output += encoded }
    return output
  }

  /// Makes a UID under the 2.25 root (PS3.5 B.2) from 128 bits of SHA-256.
  static func uid(_ parts: String...) -> String {
    let digest = SHA256.digest(Array(parts.joined(separator: "\u{1F}").utf8))
    var value: UInt128 = 0
    for byte in digest.prefix(16) { value = value << 8 | UInt128(byte) }
    return "2.25.\(value)"
  }
}

/// Encodes data elements in one transfer syntax's form.
struct ElementWriter {
  var explicit: Bool
  var bigEndian: Bool

  func u16(_ value: UInt16) -> [UInt8] {
    let bytes = [UInt8(value & 0xFF), UInt8(value >> 8)]
    return bigEndian ? bytes.reversed() : bytes
  }

  func u32(_ value: UInt32) -> [UInt8] {
    let bytes = (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
    return bigEndian ? bytes.reversed() : bytes
  }

  /// Encodes one element, padding the value to even length (a space for
  /// text, a zero byte for UIDs and binary values).
  func element(tag: DICOMTag, vr: String, value: [UInt8]) -> [UInt8] {
    var value = value
    if value.count % 2 == 1 {
      let binary = ["OB", "OW", "UN", "UI", "OF", "OD", "OL"].contains(vr)
      value.append(binary ? 0 : 0x20)
    }
    var out = u16(tag.group) + u16(tag.element)
    // The meta group is always explicit VR little endian (PS3.10 7.1).
    if explicit {
      let name = vr.count == 2 ? vr : "UN"
      out += Array(name.utf8)
      if DICOMDeidentifier.longVRs.contains(name) {
        out += [0, 0] + u32(UInt32(value.count))
      } else {
        out += u16(UInt16(value.count))
      }
    } else {
      out += u32(UInt32(value.count))
    }
    return out + value
  }

  /// Encodes encapsulated pixel data: undefined length, one item per
  /// fragment (the first is the basic offset table), then the sequence
  /// delimiter (PS3.5 A.4).
  func encapsulated(tag: DICOMTag, fragments: [[UInt8]]) -> [UInt8] {
    var out = u16(tag.group) + u16(tag.element) + Array("OB".utf8) + [0, 0]
    out += u32(0xFFFF_FFFF)
    for var fragment in fragments {
      if fragment.count % 2 == 1 { fragment.append(0) }
      out += u16(0xFFFE) + u16(0xE000) + u32(UInt32(fragment.count)) + fragment
    }
    out += u16(0xFFFE) + u16(0xE0DD) + u32(0)
    return out
  }
}
