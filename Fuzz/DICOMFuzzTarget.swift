/// Fuzzes the DICOM reader: parse leniently and strictly, then decode up
/// to four frames, or the tiles of a Siemens mosaic. The input is also read
/// as a CSA header, the part of a mosaic that gives its tile count.
func fuzzDICOM(_ bytes: [UInt8]) {
  _ = CSAHeader.firstValue(of: "NumberOfImagesInMosaic", in: bytes[...])
  for strict in [false, true] {
    guard let file = try? DICOMParser(strict: strict).parse(bytes, path: "fuzz.dcm")
    else { continue }
    _ = DICOMImageReader.sliceInfo(file)
    if SiemensMosaic.detect(file) != nil {
      _ = try? DICOMImageReader.images(file)
      continue
    }
    for frame in 0..<min(DICOMImageReader.frameCount(file), 4) {
      _ = try? DICOMImageReader.image(file, frame: frame)
    }
  }
}
