// libFuzzer entry point for the DICOM reader: parse, then decode up to
// four frames. Built by scripts/fuzz together with the MyoImaging sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDICOM(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: start, count: count))
  for strict in [false, true] {
    guard let file = try? DICOMParser(strict: strict).parse(bytes, path: "fuzz.dcm")
    else { continue }
    _ = DICOMImageReader.sliceInfo(file)
    for frame in 0..<min(DICOMImageReader.frameCount(file), 4) {
      _ = try? DICOMImageReader.image(file, frame: frame)
    }
  }
  return 0
}
