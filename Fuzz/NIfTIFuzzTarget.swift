// libFuzzer entry point for the NIfTI reader: the header, the volume and
// its first and last axial slices. Built by scripts/fuzz together with the
// MyoImaging sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNIfTI(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: start, count: count))
  // A path without a .img beside it, so pairs fail without reading files.
  guard let volume = try? NIfTIVolume.read(bytes: bytes, path: "/nonexistent/fuzz.nii")
  else { return 0 }
  _ = volume.slice(0)
  _ = volume.slice(volume.sliceCount - 1)
  return 0
}
