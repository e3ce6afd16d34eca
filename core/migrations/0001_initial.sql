-- 1: users, batches, photos, drafts, publish attempts, Vinted sessions and the event log.
CREATE TABLE users (
    user_id     INTEGER PRIMARY KEY,
    language    TEXT NOT NULL DEFAULT 'fr',
    ui_language TEXT,
    settings    TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE batches (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id             INTEGER NOT NULL,
    status              TEXT NOT NULL,
    mode                TEXT NOT NULL,
    hint                TEXT,
    language            TEXT NOT NULL,
    photos_total        INTEGER NOT NULL DEFAULT 0,
    photos_done         INTEGER NOT NULL DEFAULT 0,
    items_found         INTEGER NOT NULL DEFAULT 0,
    drafts_done         INTEGER NOT NULL DEFAULT 0,
    error               TEXT,
    chat_id             INTEGER,
    progress_message_id INTEGER,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX batches_user ON batches (user_id, created_at);
CREATE INDEX batches_status ON batches (status);

CREATE TABLE photos (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          INTEGER NOT NULL,
    batch_id         INTEGER NOT NULL REFERENCES batches (id),
    position         INTEGER NOT NULL,
    album_key        TEXT,
    source_name      TEXT NOT NULL DEFAULT '',
    path             TEXT NOT NULL,
    vision_path      TEXT NOT NULL,
    phash            TEXT NOT NULL DEFAULT '',
    width            INTEGER NOT NULL DEFAULT 0,
    height           INTEGER NOT NULL DEFAULT 0,
    telegram_file_id TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX photos_batch ON photos (batch_id, position);
CREATE INDEX photos_hash ON photos (user_id, phash);

CREATE TABLE drafts (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id           INTEGER NOT NULL,
    batch_id          INTEGER REFERENCES batches (id) ON DELETE SET NULL,
    language          TEXT NOT NULL,
    status            TEXT NOT NULL,
    title             TEXT NOT NULL DEFAULT '',
    description       TEXT NOT NULL DEFAULT '',
    hashtags          TEXT NOT NULL DEFAULT '[]',
    brand             TEXT,
    category          TEXT NOT NULL DEFAULT '',
    size              TEXT NOT NULL DEFAULT '',
    condition         TEXT,
    colours           TEXT NOT NULL DEFAULT '[]',
    material          TEXT,
    defects           TEXT NOT NULL DEFAULT '[]',
    measurements      TEXT,
    price_min         REAL,
    price_target      REAL,
    price_max         REAL,
    price_currency    TEXT,
    confidence        REAL NOT NULL DEFAULT 0,
    publish_ready     INTEGER NOT NULL DEFAULT 0,
    missing           TEXT NOT NULL DEFAULT '[]',
    to_confirm        TEXT NOT NULL DEFAULT '[]',
    hint              TEXT,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    error             TEXT,
    vinted_item_id    INTEGER,
    vinted_url        TEXT,
    card_chat_id      INTEGER,
    card_message_id   INTEGER,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    approved_at       TEXT,
    published_at      TEXT
);
CREATE INDEX drafts_user ON drafts (user_id, status, id);
CREATE INDEX drafts_batch ON drafts (batch_id);

-- No cascade from photos: a photo still shown by a draft cannot be deleted.
CREATE TABLE draft_photos (
    draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    photo_id INTEGER NOT NULL REFERENCES photos (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (draft_id, position)
) WITHOUT ROWID;
CREATE INDEX draft_photos_photo ON draft_photos (photo_id);

-- Attempts outlive their draft: the idempotency key must keep refusing a second publish.
CREATE TABLE publish_attempts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    draft_id        INTEGER REFERENCES drafts (id) ON DELETE SET NULL,
    user_id         INTEGER NOT NULL,
    idempotency_key TEXT UNIQUE NOT NULL,
    status          TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    finished_at     TEXT,
    outcome         TEXT,
    detail          TEXT NOT NULL DEFAULT '{}',
    vinted_item_id  INTEGER
);
CREATE INDEX publish_attempts_draft ON publish_attempts (draft_id);
CREATE INDEX publish_attempts_status ON publish_attempts (status);

CREATE TABLE vinted_sessions (
    user_id         INTEGER PRIMARY KEY,
    encrypted       BLOB NOT NULL,
    username        TEXT,
    checked_at      TEXT,
    last_publish_at TEXT,
    status          TEXT NOT NULL
);

CREATE TABLE events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER,
    kind       TEXT NOT NULL,
    data       TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);
CREATE INDEX events_user ON events (user_id, created_at);
CREATE INDEX events_created ON events (created_at);
