import Foundation
import MyoImaging

/// Errors in making the reading package.
public enum PackageError: Error, Equatable, CustomStringConvertible {
  /// An image could not be de-identified.
  case unsupportedImage(path: String, reason: String)

  public var description: String {
    switch self {
    case .unsupportedImage(let path, let reason):
      return "\(path): cannot de-identify: \(reason); remove the file from"
        + " the case folder or convert it to DICOM, NIfTI or PNG"
    }
  }
}

/// Makes de-identified copies of DICOM, NIfTI and PNG files.
public enum ImageDeidentifier {
  /// Returns the de-identified bytes and the file extension to use.
  public static func deidentify(
    path: String, pseudonym: String, salt: String, index: Int
  ) throws -> (bytes: [UInt8], fileExtension: String) {
    let bytes: [UInt8]
    do {
      bytes = try FileBytes.read(path)
    } catch let error as ImagingError {
      throw PackageError.unsupportedImage(path: path, reason: "\(error)")
    }
    switch ImageFormat.sniff(bytes, path: path) {
    case .dicom:
      return (
        try DICOMDeidentifier.deidentify(
          bytes, path: path, pseudonym: pseudonym, salt: salt, index: index),
        "dcm"
      )
    case .nifti:
      return (try nifti(bytes, path: path), "nii")
    case .png:
      // Decoding and encoding again keeps only the pixels: text, time and
      // other ancillary chunks are not written back.
      let pixels = try PNGCodec.decode(bytes, path: path)
      return (try PNGCodec.encode(pixels), "png")
    default:
      throw PackageError.unsupportedImage(
        path: path, reason: "not DICOM, NIfTI or PNG")
    }
  }

  /// Clears the NIfTI text fields (db_name, descrip, aux_file,
  /// intent_name) and the extensions, and writes an uncompressed .nii so
  /// that no gzip header carries the original file name.
  static func nifti(_ input: [UInt8], path: String) throws -> [UInt8] {
    var bytes = input
    if Zlib.isGzip(bytes) {
      bytes = try Zlib.inflate(bytes, format: .gzip, limit: 2 << 30, path: path)
    }
    guard bytes.count >= 352 else {
      throw PackageError.unsupportedImage(path: path, reason: "NIfTI header truncated")
    }
    let size = bytes.prefix(4)
    let little = size.elementsEqual([92, 1, 0, 0]) || size.elementsEqual([28, 2, 0, 0])
    let headerSize = Int(little
      ? UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
      : UInt32(bytes[3]) | UInt32(bytes[2]) << 8 | UInt32(bytes[1]) << 16 | UInt32(bytes[0]) << 24)
    let fields: [Range<Int>]
    let voxOffset: Int
    switch headerSize {
    case 348:
      // db_name 14..<32, descrip 148..<228, aux_file 228..<252,
      // intent_name 328..<344; vox_offset float32 at 108.
      fields = [14..<32, 148..<228, 228..<252, 328..<344]
      let raw = little
        ? UInt32(bytes[108]) | UInt32(bytes[109]) << 8 | UInt32(bytes[110]) << 16 | UInt32(bytes[111]) << 24
        : UInt32(bytes[111]) | UInt32(bytes[110]) << 8 | UInt32(bytes[109]) << 16 | UInt32(bytes[108]) << 24
      voxOffset = Int(Float(bitPattern: raw))
    case 540:
      // descrip 240..<320, aux_file 320..<344, intent_name 508..<524;
      // vox_offset int64 at 168.
      fields = [240..<320, 320..<344, 508..<524]
      var value: UInt64 = 0
      for i in 0..<8 {
        let byte = UInt64(bytes[little ? 168 + i : 175 - i])
        value |= byte << (8 * UInt64(i))
      }
      voxOffset = Int(value)
    default:
      throw PackageError.unsupportedImage(
        path: path, reason: "sizeof_hdr \(headerSize) is neither 348 nor 540")
    }
    for field in fields { for i in field { bytes[i] = 0 } }
    // Extensions sit between the header and vox_offset; zero them and
    // clear the extension flag, keeping the offsets valid.
    let flag = headerSize
    if bytes.count >= flag + 4 && voxOffset <= bytes.count {
      for i in flag..<max(flag + 4, min(voxOffset, bytes.count)) { bytes[i] = 0 }
    }
    return bytes
  }
}
