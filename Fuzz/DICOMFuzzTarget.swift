/// Fuzzes the DICOM reader: parse leniently and strictly, then decode up
/// to four frames.
func fuzzDICOM(_ bytes: [UInt8]) {
  for strict in [false, true] {
    guard let file = try? DICOMParser(strict: strict).parse(bytes, path: "fuzz.dcm")
    else { continue }
    _ = DICOMImageReader.sliceInfo(file)
    for frame in 0..<min(DICOMImageReader.frameCount(file), 4) {
      _ = try? DICOMImageReader.image(file, frame: frame)
    }
  }
}
