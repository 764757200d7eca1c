/// A parsed DICOM file: the file meta group, the main data set and the
/// transfer syntax that encodes it.
public struct DICOMFile: Sendable {
  /// Path of the file, for messages.
  public let path: String
  /// The file meta information group (0002,xxxx); empty when absent.
  public let meta: DICOMDataSet
  /// The main data set.
  public let dataSet: DICOMDataSet
  /// The transfer syntax of the main data set.
  public let transferSyntax: TransferSyntax
  /// Whether the file starts with the 128-byte preamble and "DICM".
  public let hasPreamble: Bool
  /// Problems that lenient parsing read past.
  public let warnings: [String]
}

/// Parses DICOM Part 10 files and bare data sets (PS3.10 section 7,
/// PS3.5 section 7).
public struct DICOMParser {
  /// Whether to stop with an error on problems that lenient parsing reads
  /// past, such as odd value lengths or a missing sequence delimiter.
  public var strict = false
  /// Whether to stop at the pixel data, for fast scans of headers.
  public var headerOnly = false

  /// Creates a parser.
  public init(strict: Bool = false, headerOnly: Bool = false) {
    self.strict = strict
    self.headerOnly = headerOnly
  }

  /// Tells whether bytes look like DICOM: "DICM" after a preamble, or a
  /// data set that starts with a plausible group 0002 or 0008 element.
  public static func looksLikeDICOM(_ bytes: [UInt8]) -> Bool {
    if bytes.count >= 132 && Array(bytes[128..<132]) == Array("DICM".utf8) {
      return true
    }
    guard bytes.count >= 8 else { return false }
    let group = UInt16(bytes[0]) | UInt16(bytes[1]) << 8
    let element = UInt16(bytes[2]) | UInt16(bytes[3]) << 8
    if (group == 0x0002 || group == 0x0008) && element < 0x0100 { return true }
    return startsBigEndian(bytes)
  }

  /// Tells whether a bare data set starts with a group 0008 element in
  /// explicit VR big endian.
  static func startsBigEndian(_ bytes: [UInt8]) -> Bool {
    guard bytes.count >= 8 else { return false }
    let group = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
    let element = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
    return group == 0x0008 && element < 0x0100 && hasExplicitVR(bytes, at: 0)
  }

  /// Parses a whole file.
  public func parse(_ bytes: [UInt8], path: String) throws -> DICOMFile {
    var state = ParseState(path: path, strict: strict, headerOnly: headerOnly)

    // The preamble is 128 bytes of anything followed by "DICM".
    var start = 0
    let hasPreamble =
      bytes.count >= 132 && Array(bytes[128..<132]) == Array("DICM".utf8)
    if hasPreamble { start = 132 }

    // The file meta group is always explicit VR little endian.
    var meta = DICOMDataSet(buffer: bytes, bigEndian: false)
    var offset = start
    if bytes.count >= offset + 8 && state.group(bytes, offset, false) == 2 {
      let explicit = DICOMParser.hasExplicitVR(bytes, at: offset)
      offset = try state.parseElements(
        into: &meta, bytes, from: offset, to: bytes.count, explicit: explicit,
        depth: 0, stopAtGroupAbove: 0x0002)
    } else if !hasPreamble && !DICOMParser.looksLikeDICOM(bytes) {
      throw ImagingError.unsupported(
        path: path, found: "no DICOM preamble and no DICOM data set")
    }

    // Without a meta group, guess the VR encoding from the first element.
    var syntax: TransferSyntax
    if let uid = meta.string(.transferSyntaxUID), !uid.isEmpty {
      syntax = TransferSyntax(uid: uid)
    } else {
      if !hasPreamble && meta.order.isEmpty
        && DICOMParser.startsBigEndian(Array(bytes[offset...].prefix(8)))
      {
        syntax = .explicitBig
      } else {
        syntax =
          DICOMParser.hasExplicitVR(bytes, at: offset)
          ? .explicitLittle : .implicitLittle
      }
      if hasPreamble || !meta.order.isEmpty {
        try state.warn("no transfer syntax UID (0002,0010); guessed \(syntax.name)")
      }
    }

    var body = bytes
    var bodyStart = offset
    if syntax.isDeflated {
      let compressed = Array(bytes[offset...])
      body = try Zlib.inflate(
        compressed, format: .raw, limit: max(compressed.count, 1) * 1100,
        path: path)
      bodyStart = 0
    }
    var dataSet = DICOMDataSet(buffer: body, bigEndian: syntax.isBigEndian)
    _ = try state.parseElements(
      into: &dataSet, body, from: bodyStart, to: body.count,
      explicit: syntax.isExplicitVR, depth: 0, stopAtGroupAbove: nil)
    return DICOMFile(
      path: path, meta: meta, dataSet: dataSet, transferSyntax: syntax,
      hasPreamble: hasPreamble, warnings: state.warnings)
  }

  /// Tells whether the element at `offset` carries a two-letter VR.
  static func hasExplicitVR(_ bytes: [UInt8], at offset: Int) -> Bool {
    guard offset + 6 <= bytes.count else { return false }
    return ParseState.knownVRs.contains(
      UInt16(bytes[offset + 4]) << 8 | UInt16(bytes[offset + 5]))
  }
}

/// The mutable state of one parse: warnings, the options and the element
/// walker.
private struct ParseState {
  let path: String
  let strict: Bool
  let headerOnly: Bool
  var warnings: [String] = []

  init(path: String, strict: Bool, headerOnly: Bool) {
    self.path = path
    self.strict = strict
    self.headerOnly = headerOnly
  }

  static let undefinedLength: UInt32 = 0xFFFF_FFFF
  static let maximumDepth = 32

  /// VRs whose explicit form has two reserved bytes and a 32-bit length
  /// (PS3.5 section 7.1.2).
  static let longVRs: Set<String> = [
    "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT",
    "UV",
  ]

  static let knownVRs: Set<UInt16> = Set(
    [
      "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT",
      "OB", "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST",
      "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV",
    ].map { text in
      let bytes = Array(text.utf8)
      return UInt16(bytes[0]) << 8 | UInt16(bytes[1])
    })

  /// Records a problem that lenient parsing reads past; strict parsing
  /// stops with it instead.
  mutating func warn(_ message: String, offset: Int? = nil) throws {
    if strict {
      throw ImagingError.invalidField(
        path: path, field: "DICOM structure", value: message,
        expected: "a conforming file (strict mode)", offset: offset)
    }
    warnings.append(message)
  }

  func read16(_ bytes: [UInt8], _ offset: Int, _ big: Bool) -> UInt16 {
    big
      ? UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
      : UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
  }

  func read32(_ bytes: [UInt8], _ offset: Int, _ big: Bool) -> UInt32 {
    let a = UInt32(bytes[offset])
    let b = UInt32(bytes[offset + 1])
    let c = UInt32(bytes[offset + 2])
    let d = UInt32(bytes[offset + 3])
    return big ? a << 24 | b << 16 | c << 8 | d : d << 24 | c << 16 | b << 8 | a
  }

  func group(_ bytes: [UInt8], _ offset: Int, _ big: Bool) -> UInt16 {
    read16(bytes, offset, big)
  }

  func truncated(_ offset: Int, _ expected: String) -> ImagingError {
    .truncated(path: path, offset: offset, expected: expected)
  }

  /// Reads elements from `offset` until `end`, an item delimiter, a
  /// sequence delimiter (left for the caller) or a group above
  /// `stopAtGroupAbove`. Returns the offset after the last element read.
  mutating func parseElements(
    into dataSet: inout DICOMDataSet, _ bytes: [UInt8], from start: Int,
    to end: Int, explicit: Bool, depth: Int, stopAtGroupAbove: UInt16?
  ) throws -> Int {
    guard depth <= ParseState.maximumDepth else {
      throw ImagingError.invalidField(
        path: path, field: "sequence nesting", value: "\(depth) levels",
        expected: "at most \(ParseState.maximumDepth)", offset: start)
    }
    let big = dataSet.bigEndian
    var offset = start
    while offset < end {
      // Trailing zero padding after the last element is common.
      if end - offset < 8 {
        if bytes[offset..<end].allSatisfy({ $0 == 0 }) { return end }
        throw truncated(offset, "an 8-byte element header")
      }
      let tag = DICOMTag(
        read16(bytes, offset, big), read16(bytes, offset + 2, big))
      if let limit = stopAtGroupAbove, tag.group > limit { return offset }
      if tag == .itemDelimitation || tag == .sequenceDelimitation {
        // At the top level a delimiter has nothing to end; it is skipped
        // rather than taken as the end of the data set.
        if depth == 0 {
          try warn("stray delimiter \(tag) at byte \(offset)", offset: offset)
          offset += 8
          continue
        }
        return tag == .itemDelimitation ? offset + 8 : offset
      }
      if tag.key == 0 && bytes[offset..<min(end, offset + 128)]
        .allSatisfy({ $0 == 0 })
      {
        return end
      }

      // Element header: explicit VR has the VR and a 16- or 32-bit length.
      var vr: String
      var length: UInt32
      var valueStart: Int
      let vrCode = UInt16(bytes[offset + 4]) << 8 | UInt16(bytes[offset + 5])
      if explicit && tag.group != 0xFFFE && ParseState.knownVRs.contains(vrCode)
      {
        vr = String(decoding: bytes[(offset + 4)..<(offset + 6)], as: UTF8.self)
        if ParseState.longVRs.contains(vr) {
          guard offset + 12 <= end else {
            throw truncated(offset, "a 12-byte element header for \(tag)")
          }
          length = read32(bytes, offset + 8, big)
          valueStart = offset + 12
        } else {
          length = UInt32(read16(bytes, offset + 6, big))
          valueStart = offset + 8
        }
      } else {
        if explicit && tag.group != 0xFFFE {
          try warn(
            "element \(tag) at byte \(offset) has no valid VR; read as"
              + " implicit VR")
        }
        vr = DICOMDictionary.vr(of: tag)
        length = read32(bytes, offset + 4, big)
        valueStart = offset + 8
      }

      // Pixel data of undefined length are encapsulated fragments.
      if tag == .pixelData && length == ParseState.undefinedLength {
        if headerOnly {
          dataSet.insert(
            DICOMElement(
              tag: tag, vr: vr, offset: offset, valueRange: valueStart..<end,
              items: [], fragments: []))
          return end
        }
        let (fragments, next) = try parseFragments(
          bytes, from: valueStart, to: end, big: big)
        dataSet.insert(
          DICOMElement(
            tag: tag, vr: vr, offset: offset, valueRange: valueStart..<next,
            items: [], fragments: fragments))
        offset = next
        continue
      }

      // Sequences: SQ, and UN or unknown attributes of undefined length,
      // whose content is implicit VR little endian (PS3.5 section 6.2.2).
      if vr == "SQ" || length == ParseState.undefinedLength {
        let itemsExplicit = vr == "SQ" ? explicit : false
        let sequenceEnd: Int
        if length == ParseState.undefinedLength {
          sequenceEnd = end
        } else {
          guard valueStart + Int(length) <= end else {
            throw truncated(
              valueStart, "\(length) bytes of sequence \(tag)")
          }
          sequenceEnd = valueStart + Int(length)
        }
        var items: [DICOMDataSet] = []
        let next = try parseItems(
          &items, parent: dataSet, bytes, from: valueStart, to: sequenceEnd,
          undefined: length == ParseState.undefinedLength,
          explicit: itemsExplicit, depth: depth + 1, tag: tag)
        dataSet.insert(
          DICOMElement(
            tag: tag, vr: "SQ", offset: offset, valueRange: valueStart..<next,
            items: items, fragments: nil))
        offset = next
        continue
      }

      let valueLength = Int(length)
      if tag == .pixelData && headerOnly {
        dataSet.insert(
          DICOMElement(
            tag: tag, vr: vr, offset: offset,
            valueRange: valueStart..<min(end, valueStart + valueLength),
            items: [], fragments: nil))
        return end
      }
      guard valueStart + valueLength <= end else {
        throw truncated(
          end,
          "\(valueLength) bytes of value for \(tag) (VR \(vr)) from byte"
            + " \(valueStart), found \(end - valueStart)")
      }
      if valueLength % 2 == 1 {
        if strict {
          throw ImagingError.invalidField(
            path: path, field: "value length of \(tag)",
            value: "\(valueLength)", expected: "an even length",
            offset: offset)
        }
        try warn("odd value length \(valueLength) for \(tag) at byte \(offset)")
      }
      dataSet.insert(
        DICOMElement(
          tag: tag, vr: vr, offset: offset,
          valueRange: valueStart..<(valueStart + valueLength), items: [],
          fragments: nil))
      if tag == .specificCharacterSet {
        dataSet.characterSet = dataSet.string(tag) ?? ""
      }
      offset = valueStart + valueLength
    }
    return offset
  }

  /// Reads the items of a sequence and returns the offset after it.
  mutating func parseItems(
    _ items: inout [DICOMDataSet], parent: DICOMDataSet, _ bytes: [UInt8],
    from start: Int, to end: Int, undefined: Bool, explicit: Bool,
    depth: Int, tag: DICOMTag
  ) throws -> Int {
    // UN content is implicit VR little endian whatever the file's order.
    let big = explicit ? parent.bigEndian : false
    var offset = start
    while offset < end {
      guard end - offset >= 8 else {
        throw truncated(offset, "an item header in sequence \(tag)")
      }
      let itemTag = DICOMTag(
        read16(bytes, offset, big), read16(bytes, offset + 2, big))
      let length = read32(bytes, offset + 4, big)
      if itemTag == .sequenceDelimitation { return offset + 8 }
      guard itemTag == .item else {
        throw ImagingError.invalidField(
          path: path, field: "item tag in sequence \(tag)",
          value: itemTag.description, expected: "(FFFE,E000)",
          offset: offset)
      }
      var item = DICOMDataSet(buffer: bytes, bigEndian: big)
      item.characterSet = parent.characterSet
      let itemStart = offset + 8
      if length == ParseState.undefinedLength {
        offset = try parseElements(
          into: &item, bytes, from: itemStart, to: end, explicit: explicit,
          depth: depth, stopAtGroupAbove: nil)
      } else {
        guard itemStart + Int(length) <= end else {
          throw truncated(itemStart, "\(length) bytes of an item in \(tag)")
        }
        _ = try parseElements(
          into: &item, bytes, from: itemStart, to: itemStart + Int(length),
          explicit: explicit, depth: depth, stopAtGroupAbove: nil)
        offset = itemStart + Int(length)
      }
      items.append(item)
    }
    if undefined {
      if strict {
        throw truncated(offset, "a sequence delimiter for \(tag)")
      }
      try warn("sequence \(tag) has no sequence delimiter before the end")
    }
    return offset
  }

  /// Reads the fragments of encapsulated pixel data (PS3.5 section A.4).
  mutating func parseFragments(
    _ bytes: [UInt8], from start: Int, to end: Int, big: Bool
  ) throws -> ([Range<Int>], Int) {
    var fragments: [Range<Int>] = []
    var offset = start
    while offset + 8 <= end {
      let tag = DICOMTag(
        read16(bytes, offset, big), read16(bytes, offset + 2, big))
      let length = Int(read32(bytes, offset + 4, big))
      if tag == .sequenceDelimitation { return (fragments, offset + 8) }
      guard tag == .item else {
        if bytes[offset..<end].allSatisfy({ $0 == 0 }) {
          return (fragments, end)
        }
        throw ImagingError.invalidField(
          path: path, field: "pixel data fragment tag",
          value: tag.description, expected: "(FFFE,E000)", offset: offset)
      }
      guard offset + 8 + length <= end else {
        throw truncated(offset + 8, "\(length) bytes of a pixel data fragment")
      }
      fragments.append((offset + 8)..<(offset + 8 + length))
      offset += 8 + length
    }
    if strict {
      throw truncated(offset, "a sequence delimiter after the pixel data")
    }
    try warn("encapsulated pixel data have no sequence delimiter")
    return (fragments, end)
  }
}
