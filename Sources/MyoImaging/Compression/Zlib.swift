import CZlib

/// Inflates and deflates through zlib.
public enum Zlib {
  /// The framing around a deflate stream.
  public enum Format: Sendable {
    /// gzip members, as in `.nii.gz`; concatenated members are read on.
    case gzip
    /// A bare deflate stream, as in deflated explicit VR little endian.
    case raw
    /// A zlib header and trailer.
    case zlib

    var windowBits: Int32 {
      switch self {
      case .gzip: return 16 + MAX_WBITS
      case .raw: return -MAX_WBITS
      case .zlib: return MAX_WBITS
      }
    }
  }

  /// Tells whether bytes start with the gzip magic number 1f 8b.
  public static func isGzip(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
  }

  /// Inflates `input`, stopping once the output would pass `limit` bytes,
  /// so that a small hostile file cannot exhaust memory. At the limit it
  /// raises an error, or with `prefixOnly` returns the first `limit` bytes.
  public static func inflate(
    _ input: [UInt8], format: Format, limit: Int, path: String,
    prefixOnly: Bool = false
  ) throws -> [UInt8] {
    var stream = z_stream()
    guard
      inflateInit2_(
        &stream, format.windowBits, ZLIB_VERSION,
        Int32(MemoryLayout<z_stream>.size)) == Z_OK
    else {
      throw ImagingError.codecFailed(
        path: path, codec: "zlib", message: "inflateInit2 failed")
    }
    defer { inflateEnd(&stream) }

    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var status: Int32 = Z_OK
    try input.withUnsafeBufferPointer { source in
      stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
      stream.avail_in = UInt32(source.count)
      while true {
        let produced = chunk.withUnsafeMutableBufferPointer { target in
          stream.next_out = target.baseAddress
          stream.avail_out = UInt32(target.count)
          status = CZlib.inflate(&stream, Z_NO_FLUSH)
          return target.count - Int(stream.avail_out)
        }
        if produced > 0 {
          if prefixOnly && output.count + produced >= limit {
            output.append(contentsOf: chunk[0..<(limit - output.count)])
            return
          }
          guard output.count + produced <= limit else {
            throw ImagingError.invalidField(
              path: path, field: "compressed data",
              value: "more than \(limit) bytes once inflated",
              expected: "at most the size the header announces")
          }
          output.append(contentsOf: chunk[0..<produced])
        }
        if status == Z_STREAM_END {
          // gzip allows several members one after another.
          if format == .gzip && stream.avail_in > 0 {
            inflateReset(&stream)
            continue
          }
          return
        }
        if status == Z_BUF_ERROR && stream.avail_in == 0 {
          throw ImagingError.truncated(
            path: path, offset: Int(stream.total_in),
            expected: "the rest of the compressed stream")
        }
        guard status == Z_OK else {
          let text = stream.msg.map { String(cString: $0) } ?? "status \(status)"
          throw ImagingError.codecFailed(
            path: path, codec: "zlib",
            message: "\(text) at compressed byte \(stream.total_in)")
        }
      }
    }
    return output
  }

  /// Deflates `input` in the given framing at the default level.
  public static func deflate(_ input: [UInt8], format: Format) -> [UInt8] {
    var stream = z_stream()
    let initialised = deflateInit2_(
      &stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, format.windowBits, 8,
      Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    precondition(initialised == Z_OK, "zlib deflateInit2 failed")
    defer { deflateEnd(&stream) }
    let bound = Int(deflateBound(&stream, UInt(input.count)))
    var output = [UInt8](repeating: 0, count: bound + 64)
    let written = input.withUnsafeBufferPointer { source in
      output.withUnsafeMutableBufferPointer { target in
        stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
        stream.avail_in = UInt32(source.count)
        stream.next_out = target.baseAddress
        stream.avail_out = UInt32(target.count)
        let status = CZlib.deflate(&stream, Z_FINISH)
        precondition(status == Z_STREAM_END, "zlib deflate failed: \(status)")
        return target.count - Int(stream.avail_out)
      }
    }
    return Array(output.prefix(written))
  }
}
