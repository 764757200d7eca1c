/// Fuzzes the PNG reader.
func fuzzPNG(_ bytes: [UInt8]) {
  _ = try? PNGImage.image(bytes, path: "fuzz.png")
}
