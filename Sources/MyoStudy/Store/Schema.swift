/// The schema migrations of the three kinds of store, applied in order;
/// PRAGMA user_version records how many have run.
enum Schema {
  /// The study store: settings and pseudonymous cases, readable by readers.
  static let study: [String] = [
    """
    CREATE TABLE study (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      created_at TEXT NOT NULL,
      seed INTEGER NOT NULL,
      confidence_scale INTEGER NOT NULL CHECK (confidence_scale IN (5, 100)),
      washout_days INTEGER NOT NULL CHECK (washout_days >= 0),
      teaching INTEGER NOT NULL CHECK (teaching IN (0, 1))
    );
    CREATE TABLE cases (
      pseudonym TEXT PRIMARY KEY,
      position INTEGER NOT NULL UNIQUE
    );
    CREATE TABLE slices (
      pseudonym TEXT NOT NULL REFERENCES cases(pseudonym),
      slice INTEGER NOT NULL,
      file TEXT NOT NULL,
      frame INTEGER NOT NULL,
      PRIMARY KEY (pseudonym, slice)
    );
    CREATE TABLE teaching_answers (
      pseudonym TEXT PRIMARY KEY REFERENCES cases(pseudonym),
      diseased INTEGER NOT NULL CHECK (diseased IN (0, 1)),
      subtype TEXT,
      probability REAL,
      bundle_hash TEXT
    );
    """,
    // 2: the aided arm, and the model output and grades shown after a
    // read. Only an aided study or a teaching set gets model output here,
    // because every reader can read this file.
    """
    ALTER TABLE study ADD COLUMN aided INTEGER NOT NULL DEFAULT 0
      CHECK (aided IN (0, 1));
    CREATE TABLE model_outputs (
      pseudonym TEXT NOT NULL REFERENCES cases(pseudonym),
      slice INTEGER,
      probability REAL NOT NULL,
      bundle_hash TEXT NOT NULL,
      cam_width INTEGER,
      cam_height INTEGER,
      crop_x INTEGER,
      crop_y INTEGER,
      crop_width INTEGER,
      crop_height INTEGER,
      cam TEXT,
      created_at TEXT NOT NULL
    );
    CREATE TABLE teaching_grades (
      pseudonym TEXT NOT NULL REFERENCES cases(pseudonym),
      muscle TEXT NOT NULL,
      side TEXT NOT NULL,
      grade TEXT NOT NULL,
      PRIMARY KEY (pseudonym, muscle, side)
    );
    """,
    // 3: the name and demo label of each bundle whose output is stored,
    // so that every screen showing it can say which model spoke.
    """
    CREATE TABLE model_bundles (
      hash TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      demo_label TEXT
    );
    """,
  ]

  /// The coordinator file: key, truth, predictions and verified chain heads.
  static let coordinator: [String] = [
    """
    CREATE TABLE key (
      pseudonym TEXT PRIMARY KEY,
      original_name TEXT NOT NULL,
      original_path TEXT NOT NULL
    );
    CREATE TABLE truth (
      pseudonym TEXT PRIMARY KEY REFERENCES key(pseudonym),
      diseased INTEGER NOT NULL CHECK (diseased IN (0, 1)),
      subtype TEXT
    );
    CREATE TABLE predictions (
      id INTEGER PRIMARY KEY,
      pseudonym TEXT NOT NULL REFERENCES key(pseudonym),
      slice INTEGER,
      probability REAL NOT NULL,
      bundle_hash TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE verified_heads (
      user TEXT PRIMARY KEY,
      read_id INTEGER NOT NULL,
      hash TEXT NOT NULL,
      verified_at TEXT NOT NULL
    );
    """,
    // 2: the name and demo label of each bundle with predictions.
    """
    CREATE TABLE model_bundles (
      hash TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      demo_label TEXT
    );
    """,
    // 3: where the originals and the truth file are, so that `study
    // verify` can check that readers cannot read them.
    """
    CREATE TABLE sources (
      role TEXT PRIMARY KEY CHECK (role IN ('cases', 'truth')),
      path TEXT NOT NULL
    );
    """,
    // 4: the session rows verified with each head, which the hash chain
    // of the reads does not cover.
    """
    ALTER TABLE verified_heads ADD COLUMN sessions_through INTEGER;
    ALTER TABLE verified_heads ADD COLUMN sessions_hash TEXT;
    """,
  ]

  /// A reader's store: sessions and the append-only, hash-chained reads.
  static let reader: [String] = [
    """
    CREATE TABLE reader (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      user TEXT NOT NULL,
      uid INTEGER NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('unaided', 'teaching')),
      alias TEXT,
      seed INTEGER NOT NULL,
      case_order TEXT NOT NULL,
      started_at TEXT NOT NULL,
      washout_override TEXT
    );
    CREATE TABLE reads (
      id INTEGER PRIMARY KEY,
      session_id INTEGER NOT NULL REFERENCES sessions(id),
      pseudonym TEXT NOT NULL,
      position INTEGER NOT NULL,
      call INTEGER NOT NULL CHECK (call IN (0, 1)),
      subtype TEXT,
      confidence INTEGER NOT NULL,
      grades TEXT,
      opened_at TEXT NOT NULL,
      submitted_at TEXT NOT NULL,
      duration_seconds REAL NOT NULL,
      window_center REAL,
      window_width REAL,
      slice INTEGER,
      amends INTEGER REFERENCES reads(id),
      previous_hash TEXT NOT NULL,
      hash TEXT NOT NULL UNIQUE
    );
    CREATE TRIGGER reads_append_only_update BEFORE UPDATE ON reads
    BEGIN SELECT RAISE(ABORT, 'reads are append-only: add an amendment'); END;
    CREATE TRIGGER reads_append_only_delete BEFORE DELETE ON reads
    BEGIN SELECT RAISE(ABORT, 'reads are append-only: add an amendment'); END;
    """,
    // 2: the aided arm. A session of kind 'aided' reads each case twice:
    // first unaided, then, once that read is stored, aided with the model
    // output on screen. The kind's CHECK changes, so the sessions table
    // is rebuilt; the triggers lock the unaided read of an aided session.
    """
    ALTER TABLE reads ADD COLUMN modality TEXT NOT NULL DEFAULT 'unaided'
      CHECK (modality IN ('unaided', 'aided'));
    CREATE TABLE sessions_v2 (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('unaided', 'aided', 'teaching')),
      alias TEXT,
      seed INTEGER NOT NULL,
      case_order TEXT NOT NULL,
      started_at TEXT NOT NULL,
      washout_override TEXT
    );
    INSERT INTO sessions_v2 (id, kind, alias, seed, case_order, started_at,
      washout_override)
      SELECT id, kind, alias, seed, case_order, started_at, washout_override
      FROM sessions;
    DROP TABLE sessions;
    ALTER TABLE sessions_v2 RENAME TO sessions;
    CREATE TRIGGER reads_unaided_locked BEFORE INSERT ON reads
    WHEN NEW.modality = 'unaided'
      AND (SELECT kind FROM sessions WHERE id = NEW.session_id) = 'aided'
      AND EXISTS (SELECT 1 FROM reads WHERE session_id = NEW.session_id
        AND pseudonym = NEW.pseudonym AND modality = 'unaided')
    BEGIN SELECT RAISE(ABORT,
      'the unaided read is locked: the model output was shown after it');
    END;
    CREATE TRIGGER reads_aided_after_unaided BEFORE INSERT ON reads
    WHEN NEW.modality = 'aided' AND (
      (SELECT kind FROM sessions WHERE id = NEW.session_id) IS NOT 'aided'
      OR NOT EXISTS (SELECT 1 FROM reads WHERE session_id = NEW.session_id
        AND pseudonym = NEW.pseudonym AND modality = 'unaided'))
    BEGIN SELECT RAISE(ABORT,
      'an aided read needs an aided session and the unaided read of its case');
    END;
    """,
  ]
}
