/// Fuzzes the NIfTI reader: the header, the volume and its first and last
/// axial slices. The path has no .img beside it, so pairs fail without
/// reading other files.
func fuzzNIfTI(_ bytes: [UInt8]) {
  guard let volume = try? NIfTIVolume.read(bytes: bytes, path: "/nonexistent/fuzz.nii")
  else { return }
  _ = volume.slice(0)
  _ = volume.slice(volume.sliceCount - 1)
}
