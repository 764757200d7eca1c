import Foundation

/// One attribute of a data set.
public struct DICOMElement: Sendable {
  /// The attribute's tag.
  public let tag: DICOMTag
  /// The value representation, from the file or the dictionary.
  public let vr: String
  /// Byte offset of the element's tag in the parsed buffer.
  public let offset: Int
  /// Range of the value bytes in the data set's buffer.
  public let valueRange: Range<Int>
  /// Items of a sequence (SQ, or UN of undefined length).
  public let items: [DICOMDataSet]
  /// Fragments of encapsulated pixel data, as ranges in the buffer. The
  /// first is the basic offset table, which may be empty.
  public let fragments: [Range<Int>]?
}

/// A parsed DICOM data set: its elements and the bytes they point into.
public struct DICOMDataSet: Sendable {
  /// Bytes that the elements' ranges refer to.
  public let buffer: [UInt8]
  /// Whether binary values are big endian.
  public let bigEndian: Bool
  /// The elements by tag, in no particular order.
  public private(set) var elements: [DICOMTag: DICOMElement] = [:]
  /// The tags in file order.
  public private(set) var order: [DICOMTag] = []
  /// Specific character set, inherited by nested items.
  public var characterSet: String = ""

  init(buffer: [UInt8], bigEndian: Bool) {
    self.buffer = buffer
    self.bigEndian = bigEndian
  }

  mutating func insert(_ element: DICOMElement) {
    if elements.updateValue(element, forKey: element.tag) == nil {
      order.append(element.tag)
    }
  }

  /// The element for a tag, if present.
  public subscript(tag: DICOMTag) -> DICOMElement? { elements[tag] }

  /// The raw value bytes of an element.
  public func bytes(_ tag: DICOMTag) -> ArraySlice<UInt8>? {
    elements[tag].map { buffer[$0.valueRange] }
  }

  /// A text value with trailing spaces and NULs removed, decoded with the
  /// specific character set (ISO_IR 100 is Latin-1, ISO_IR 192 is UTF-8;
  /// the default repertoire is ASCII, read as Latin-1 when bytes above 127
  /// appear).
  public func string(_ tag: DICOMTag) -> String? {
    guard let raw = bytes(tag) else { return nil }
    var end = raw.endIndex
    while end > raw.startIndex
      && (raw[end - 1] == 0x20 || raw[end - 1] == 0)
    {
      end -= 1
    }
    var start = raw.startIndex
    while start < end && raw[start] == 0x20 { start += 1 }
    return decodeText(raw[start..<end])
  }

  private func decodeText(_ bytes: ArraySlice<UInt8>) -> String {
    if characterSet.contains("ISO_IR 192") {
      return String(decoding: bytes, as: UTF8.self)
    }
    return String(bytes.map { Character(Unicode.Scalar($0)) })
  }

  /// The values of a multi-valued text attribute, split at backslashes.
  public func strings(_ tag: DICOMTag) -> [String] {
    guard let text = string(tag), !text.isEmpty else { return [] }
    return text.split(separator: "\\", omittingEmptySubsequences: false)
      .map { $0.trimmingCharacters(in: .whitespaces) }
  }

  /// Numbers of a DS or IS attribute, or of a binary numeric VR.
  public func doubles(_ tag: DICOMTag) -> [Double] {
    guard let element = elements[tag] else { return [] }
    switch element.vr {
    case "US", "SS", "UL", "SL", "FL", "FD":
      return binaryNumbers(element)
    default:
      return strings(tag).compactMap { Double($0) }
    }
  }

  /// The first number of an attribute.
  public func double(_ tag: DICOMTag) -> Double? { doubles(tag).first }

  /// The first number of an attribute as an integer.
  public func integer(_ tag: DICOMTag) -> Int? {
    guard let value = double(tag), value.isFinite,
      abs(value) < 1e15
    else { return nil }
    return Int(value)
  }

  private func binaryNumbers(_ element: DICOMElement) -> [Double] {
    let size: Int
    switch element.vr {
    case "US", "SS": size = 2
    case "UL", "SL", "FL": size = 4
    default: size = 8
    }
    var result: [Double] = []
    var offset = element.valueRange.lowerBound
    while offset + size <= element.valueRange.upperBound {
      let bits = readUnsigned(at: offset, size: size)
      switch element.vr {
      case "US", "UL": result.append(Double(bits))
      case "SS": result.append(Double(Int16(truncatingIfNeeded: bits)))
      case "SL": result.append(Double(Int32(truncatingIfNeeded: bits)))
      case "FL":
        result.append(Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits))))
      default: result.append(Double(bitPattern: bits))
      }
      offset += size
    }
    return result
  }

  /// Reads an unsigned integer of 1, 2, 4 or 8 bytes in the data set's
  /// byte order.
  func readUnsigned(at offset: Int, size: Int) -> UInt64 {
    var value: UInt64 = 0
    if bigEndian {
      for index in 0..<size {
        value = value << 8 | UInt64(buffer[offset + index])
      }
    } else {
      for index in stride(from: size - 1, through: 0, by: -1) {
        value = value << 8 | UInt64(buffer[offset + index])
      }
    }
    return value
  }

  /// The items of a sequence attribute; empty when absent.
  public func items(_ tag: DICOMTag) -> [DICOMDataSet] {
    elements[tag]?.items ?? []
  }
}
