import Foundation

/// The operating-system user running the process, from the real user id
/// (not the effective one, and not a name typed on the command line).
public struct ReaderIdentity: Sendable, Equatable {
  /// The login name.
  public var user: String
  /// The real user id.
  public var uid: UInt32

  /// Creates an identity; tests use this to stand in for another user.
  public init(user: String, uid: UInt32) {
    self.user = user
    self.uid = uid
  }

  /// Returns the identity of the current process.
  public static func current() throws -> ReaderIdentity {
    let uid = getuid()
    guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else {
      throw StoreError.invalidStudy(
        path: "/etc/passwd",
        reason: "no login name for user id \(uid); ask the administrator"
          + " to add this account")
    }
    return ReaderIdentity(user: String(cString: name), uid: uid)
  }

  /// Looks up the user id of a login name, or nil when there is no such user.
  public static func uid(of user: String) -> UInt32? {
    getpwnam(user).map { $0.pointee.pw_uid }
  }
}
