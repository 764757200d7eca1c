import Foundation

/// The files of one study, all derived from the study store's path.
///
/// For `trial.db`:
///
///     trial.db              study store: settings, pseudonymous cases and
///                           slices; no truth, no key (mode 0644)
///     trial.coordinator.db  key (pseudonym to original case), truth and
///                           model predictions (mode 0600, or 0640 with a
///                           coordinator group)
///     trial.images/         the reading package: de-identified copies of
///                           the images under the pseudonyms
///     trial.reads/          one store per reader, USER.db, created by that
///                           reader (directory mode 3733: others may create
///                           files but not list, rename or delete them;
///                           new files take the directory's group)
public struct StudyLayout: Sendable, Equatable {
  /// The study store.
  public var studyStore: String
  /// The coordinator file.
  public var coordinatorStore: String
  /// The reading package's image folder.
  public var imageFolder: String
  /// The folder of reader stores.
  public var readsFolder: String

  /// Derives the layout from the study store's path.
  public init(studyStore path: String) {
    studyStore = path
    let base = path.hasSuffix(".db") ? String(path.dropLast(3)) : path
    coordinatorStore = base + ".coordinator.db"
    imageFolder = base + ".images"
    readsFolder = base + ".reads"
  }

  /// Returns the store path of the reader with login name `user`.
  public func readerStore(user: String) -> String {
    (readsFolder as NSString).appendingPathComponent(user + ".db")
  }
}
