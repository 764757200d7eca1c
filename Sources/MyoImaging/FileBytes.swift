import Foundation

/// Reads whole image files with a clear error.
///
/// The path is checked with `stat` (following symbolic links) before it
/// is opened. A FIFO, a device or a socket is rejected, so it cannot block
/// the open or fill memory. A file larger than `maximumSize` is rejected
/// before any of it is read.
public enum FileBytes {
  /// The largest file read: 4 GiB.
  public static let maximumSize: Int64 = 4 << 30

  /// Reads the whole of `path`.
  public static func read(_ path: String) throws -> [UInt8] {
    let size = try regularFileSize(path)
    guard size <= maximumSize else {
      throw ImagingError.tooLarge(path: path, size: size, limit: maximumSize)
    }
    // O_NONBLOCK keeps the open from waiting should the path have become
    // a FIFO since the check.
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw ImagingError.unreadable(path: path, reason: reason(errno))
    }
    defer { close(descriptor) }
    var opened = stat()
    guard fstat(descriptor, &opened) == 0 else {
      throw ImagingError.unreadable(path: path, reason: reason(errno))
    }
    guard opened.st_mode & S_IFMT == S_IFREG else {
      throw ImagingError.notRegularFile(path: path, kind: kind(opened.st_mode))
    }
    // Read at most one byte past the size seen, so that a file that grows
    // while it is read cannot exceed the limit.
    let capacity = Int(min(Int64(opened.st_size), maximumSize)) + 1
    var bytes = [UInt8](repeating: 0, count: capacity)
    var count = 0
    while count < capacity {
      let read = bytes.withUnsafeMutableBytes { buffer in
        Glibc.read(
          descriptor, buffer.baseAddress! + count, capacity - count)
      }
      if read < 0 {
        if errno == EINTR { continue }
        throw ImagingError.unreadable(path: path, reason: reason(errno))
      }
      if read == 0 { break }
      count += read
    }
    if count > maximumSize {
      throw ImagingError.tooLarge(
        path: path, size: Int64(count), limit: maximumSize)
    }
    bytes.removeSubrange(count...)
    return bytes
  }

  /// Returns the size of `path` when it is a regular file, following
  /// symbolic links. Otherwise throws an error that names what it is.
  public static func regularFileSize(_ path: String) throws -> Int64 {
    var status = stat()
    guard stat(path, &status) == 0 else {
      throw ImagingError.unreadable(path: path, reason: reason(errno))
    }
    let type = status.st_mode & S_IFMT
    if type == S_IFDIR { throw ImagingError.isFolder(path: path) }
    guard type == S_IFREG else {
      throw ImagingError.notRegularFile(path: path, kind: kind(status.st_mode))
    }
    return Int64(status.st_size)
  }

  /// Tells whether `path` is a regular file, following symbolic links.
  public static func isRegularFile(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
  }

  /// Returns the POSIX text of an error number, starting in lower case
  /// like the other messages ("no such file or directory").
  public static func reason(_ number: Int32) -> String {
    let text = String(cString: strerror(number))
    guard let first = text.first else { return "error \(number)" }
    return first.lowercased() + text.dropFirst()
  }

  static func kind(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    case S_IFIFO: return "a FIFO"
    case S_IFSOCK: return "a socket"
    case S_IFDIR: return "a folder"
    default: return "not a file"
    }
  }
}
