import Foundation

/// Checks on the files of a reader store. The reads folder lets every
/// reader create files (mode 3733), so another account can make a
/// reader's store, or its `-wal`, `-shm` or `-journal` file, before that
/// reader first reads, or plant a symbolic link in its place. SQLite
/// would then write the reads into a file that the other account can
/// read and change.
public enum ReaderStoreFiles {
  /// The side files SQLite keeps beside a store.
  public static let sideSuffixes = ["-wal", "-shm", "-journal"]

  /// Returns why the file at `path` cannot be trusted as a store of the
  /// account `uid`, or nil when it is absent or sound. A sound file is a
  /// regular file (not a link) owned by `uid`, with no group write and no
  /// access for others.
  public static func problem(_ path: String, uid: uid_t) -> String? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    switch info.st_mode & S_IFMT {
    case S_IFREG:
      break
    case S_IFLNK:
      let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
      return "is a symbolic link to \(target), made by \(account(info.st_uid))"
    default:
      return "is not a regular file"
    }
    if info.st_uid != uid {
      return "is owned by \(account(info.st_uid)), not by \(account(uid))"
    }
    if info.st_mode & 0o027 != 0 {
      return "has mode \(String(info.st_mode & 0o7777, radix: 8)), so other"
        + " accounts could read or change the answers (expected 640)"
    }
    return nil
  }

  /// Returns the problems of a store and its side files, each as a full
  /// sentence that starts with the file's path.
  public static func problems(store path: String, uid: uid_t) -> [String] {
    ([""] + sideSuffixes).compactMap { suffix in
      problem(path + suffix, uid: uid).map { "\(path + suffix) \($0)" }
    }
  }

  /// Throws unless the store and its side files are absent or sound.
  static func requireTrusted(store path: String, uid: uid_t) throws {
    let found = problems(store: path, uid: uid)
    guard let first = found.first else { return }
    throw StoreError.invalidStudy(
      path: path,
      reason: "not opened, because \(first) (\(found.count) problem"
        + "\(found.count == 1 ? "" : "s")). Another account may have made"
        + " it to read or change your answers. Read nothing until the"
        + " study coordinator has removed it; 'myoscope study verify'"
        + " lists what is wrong")
  }

  /// Creates an empty store file that only its owner writes, failing if
  /// any file or link of that name appeared in the meantime.
  static func createExclusively(_ path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o640)
    guard fd >= 0 else {
      throw StoreError.invalidStudy(
        path: path,
        reason: "cannot create the reader store (\(String(cString: strerror(errno))));"
          + " if another account made a file of this name, ask the study"
          + " coordinator to remove it")
    }
    // The mode is set whatever the umask: 0640 lets the folder's group
    // (the coordinator) read the store.
    fchmod(fd, 0o640)
    close(fd)
  }

  /// Returns "name (uid N)" for an account, or "uid N" without a name.
  public static func account(_ uid: uid_t) -> String {
    guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else {
      return "uid \(uid)"
    }
    return "\(String(cString: name)) (uid \(uid))"
  }
}
