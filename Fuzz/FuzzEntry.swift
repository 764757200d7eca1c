import Foundation

/// The reader under test, chosen by MYOSCOPE_FUZZ_TARGET (dicom, nifti or
/// png) so that one instrumented binary serves every target.
let fuzzTarget: ([UInt8]) -> Void = {
  switch ProcessInfo.processInfo.environment["MYOSCOPE_FUZZ_TARGET"] {
  case "nifti": return fuzzNIfTI
  case "png": return fuzzPNG
  case "dicom": return fuzzDICOM
  default:
    fatalError("set MYOSCOPE_FUZZ_TARGET to dicom, nifti or png")
  }
}()

/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  let bytes = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
  fuzzTarget(bytes)
  return 0
}
