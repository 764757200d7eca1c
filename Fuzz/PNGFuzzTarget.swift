// libFuzzer entry point for the PNG reader. Built by scripts/fuzz together
// with the MyoImaging sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: start, count: count))
  _ = try? PNGImage.image(bytes, path: "fuzz.png")
  return 0
}
