import MyoImaging

/// The DICOM attributes of a phantom slice: an MR Image Storage instance
/// with synthetic identity and the geometry of the rendered slice.
enum DICOMSlice {
  /// MR Image Storage (PS3.4 annex B.5).
  static let mrImageStorage = "1.2.840.10008.5.1.4.1.1.4"

  /// A UUID-derived UID (PS3.5 section B.2, root 2.25) from a hash of the
  /// case seed and a purpose number, so the same seed gives the same UIDs.
  static func uid(seed: UInt64, purpose: UInt64) -> String {
    let high = PhantomRandom.mix(seed ^ PhantomRandom.mix(purpose)) >> 1
    let low = PhantomRandom.mix(high ^ 0xD1CE) % 10_000_000_000_000_000_000
    let lowText = String(low)
    let padded =
      String(repeating: "0", count: 19 - lowText.count) + lowText
    return "2.25.\(max(high, 1))" + padded
  }

  /// Encodes slice `index` of a case.
  static func encode(
    _ slice: RenderedSlice, index: Int, phantomCase: PhantomCase,
    renderer: SliceRenderer, path: String
  ) throws -> [UInt8] {
    let seed = phantomCase.seed
    let number = zeroPadded(phantomCase.number)
    var writer = DICOMWriter(path: path)
    let spacing = renderer.pixelSpacing
    let halfWidth = Double(renderer.width - 1) / 2 * spacing
    let halfHeight = Double(renderer.height - 1) / 2 * spacing
    let subject = phantomCase.subject

    // Identity: synthetic, with a fixed date so that bytes repeat.
    try writer.set(DICOMTag(0x0008, 0x0005), "CS", "ISO_IR 100")
    try writer.set(DICOMTag(0x0008, 0x0008), "CS", ["ORIGINAL", "PRIMARY", "M", "ND"])
    try writer.set(DICOMTag(0x0008, 0x0016), "UI", mrImageStorage)
    try writer.set(
      DICOMTag(0x0008, 0x0018), "UI",
      uid(seed: seed, purpose: 100 + UInt64(index)))
    try writer.set(DICOMTag(0x0008, 0x0020), "DA", "20000101")
    try writer.set(DICOMTag(0x0008, 0x0021), "DA", "20000101")
    try writer.set(DICOMTag(0x0008, 0x0030), "TM", "090000")
    try writer.set(DICOMTag(0x0008, 0x0031), "TM", "090500")
    try writer.set(DICOMTag(0x0008, 0x0050), "SH", "PH" + number)
    try writer.set(DICOMTag(0x0008, 0x0060), "CS", "MR")
    try writer.set(DICOMTag(0x0008, 0x0070), "LO", "myoscope phantom")
    try writer.set(DICOMTag(0x0008, 0x1030), "LO", "MRI thighs")
    try writer.set(DICOMTag(0x0008, 0x103E), "LO", "t1_se_tra")
    try writer.set(DICOMTag(0x0010, 0x0010), "PN", "PHANTOM^" + number)
    try writer.set(DICOMTag(0x0010, 0x0020), "LO", "PH" + number)
    try writer.set(DICOMTag(0x0010, 0x0040), "CS", subject.sex.rawValue)
    try writer.set(
      DICOMTag(0x0010, 0x1010), "AS", zeroPadded(subject.age).suffix(3) + "Y")
    try writer.set(DICOMTag(0x0018, 0x0015), "CS", "LEG")

    // Acquisition: T1-weighted spin echo, TR 450 ms, TE 12 ms.
    try writer.set(DICOMTag(0x0018, 0x0020), "CS", "SE")
    try writer.set(DICOMTag(0x0018, 0x0021), "CS", "SK")
    try writer.set(DICOMTag(0x0018, 0x0022), "CS", "SAT")
    try writer.set(DICOMTag(0x0018, 0x0023), "CS", "2D")
    try writer.set(
      DICOMTag(0x0018, 0x0050), decimals: [renderer.sliceSpacing - 1])
    try writer.set(DICOMTag(0x0018, 0x0080), decimals: [renderer.sequence.repetitionTime])
    try writer.set(DICOMTag(0x0018, 0x0081), decimals: [renderer.sequence.echoTime])
    try writer.set(DICOMTag(0x0018, 0x0087), decimals: [3])
    try writer.set(DICOMTag(0x0018, 0x0088), decimals: [renderer.sliceSpacing])
    try writer.set(DICOMTag(0x0018, 0x0083), decimals: [2])
    try writer.set(DICOMTag(0x0018, 0x0091), "IS", "1")
    try writer.set(DICOMTag(0x0018, 0x0095), decimals: [130])
    try writer.set(DICOMTag(0x0018, 0x1020), "LO", "myoscope phantom 1")
    try writer.set(DICOMTag(0x0018, 0x1030), "LO", "t1_se_tra")
    try writer.set(DICOMTag(0x0018, 0x1250), "SH", "Body")
    try writer.set(DICOMTag(0x0018, 0x1314), decimals: [90])
    try writer.set(DICOMTag(0x0018, 0x5100), "CS", "FFS")

    // Geometry: rows run to the patient's left (+x in LPS) and columns to
    // the posterior (+y), so the image is radiological as stored.
    try writer.set(
      DICOMTag(0x0020, 0x000D), "UI", uid(seed: seed, purpose: 1))
    try writer.set(
      DICOMTag(0x0020, 0x000E), "UI", uid(seed: seed, purpose: 2))
    try writer.set(DICOMTag(0x0020, 0x0010), "SH", "1")
    try writer.set(DICOMTag(0x0020, 0x0011), "IS", "3")
    try writer.set(DICOMTag(0x0020, 0x0012), "IS", "1")
    try writer.set(DICOMTag(0x0020, 0x0013), "IS", String(index + 1))
    try writer.set(
      DICOMTag(0x0020, 0x0032), decimals: [-halfWidth, -halfHeight, slice.location])
    try writer.set(DICOMTag(0x0020, 0x0037), decimals: [1, 0, 0, 0, 1, 0])
    try writer.set(
      DICOMTag(0x0020, 0x0052), "UI", uid(seed: seed, purpose: 3))
    try writer.set(DICOMTag(0x0020, 0x1041), decimals: [slice.location])

    // Pixels: 16 bits allocated, 12 stored, unsigned.
    writer.set(DICOMTag(0x0028, 0x0002), unsignedShort: 1)
    try writer.set(DICOMTag(0x0028, 0x0004), "CS", "MONOCHROME2")
    writer.set(DICOMTag(0x0028, 0x0010), unsignedShort: UInt16(renderer.height))
    writer.set(DICOMTag(0x0028, 0x0011), unsignedShort: UInt16(renderer.width))
    try writer.set(DICOMTag(0x0028, 0x0030), decimals: [spacing, spacing])
    writer.set(DICOMTag(0x0028, 0x0100), unsignedShort: 16)
    writer.set(DICOMTag(0x0028, 0x0101), unsignedShort: 12)
    writer.set(DICOMTag(0x0028, 0x0102), unsignedShort: 11)
    writer.set(DICOMTag(0x0028, 0x0103), unsignedShort: 0)
    let centre = (Double(subject.fatLevel) * 0.55).rounded()
    let width = (Double(subject.fatLevel) * 1.25).rounded()
    try writer.set(DICOMTag(0x0028, 0x1050), decimals: [centre])
    try writer.set(DICOMTag(0x0028, 0x1051), decimals: [width])
    try writer.set(DICOMTag(0x0028, 0x1055), "LO", "T1")
    writer.set(DICOMTag(0x7FE0, 0x0010), words: slice.pixels)
    return try writer.encode(
      implementationUID: CaseWriter.implementationUID,
      implementationVersion: CaseWriter.implementationVersion)
  }
}
