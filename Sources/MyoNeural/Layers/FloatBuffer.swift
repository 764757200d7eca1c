/// A fixed-size block of floats, allocated once and freed with its owner.
///
/// Layers and activation workspaces keep their storage in these so that a
/// forward pass allocates nothing.
final class FloatBuffer: @unchecked Sendable {
  /// Number of floats.
  let count: Int
  /// The storage, 64-byte aligned for the BLAS kernels.
  let pointer: UnsafeMutablePointer<Float>

  /// Allocates `count` floats set to zero.
  init(count: Int) {
    precondition(count >= 0, "FloatBuffer: negative count \(count)")
    self.count = count
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
    pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    pointer.initialize(repeating: 0, count: max(count, 1))
  }

  /// Copies an array into a new buffer.
  convenience init(_ values: [Float]) {
    self.init(count: values.count)
    values.withUnsafeBufferPointer { source in
      if let base = source.baseAddress {
        pointer.update(from: base, count: values.count)
      }
    }
  }

  deinit {
    UnsafeMutableRawPointer(pointer).deallocate()
  }

  /// The contents as an array.
  var array: [Float] {
    Array(UnsafeBufferPointer(start: pointer, count: count))
  }
}
