-- 12: relisting what did not sell. A listing is live until the wardrobe no longer shows it
-- (sold or removed: gone, never relisted); its price is the one last seen there. A relist is
-- one row per old listing ever (the unique key is the old item), moved step by step: the
-- Vinted draft's id, then the old listing's deletion, then the new item's id are written as
-- each step ends, so a restart goes on from the last one and never lists the item twice.
ALTER TABLE listings ADD COLUMN state TEXT NOT NULL DEFAULT 'live';
ALTER TABLE listings ADD COLUMN price REAL;
ALTER TABLE listings ADD COLUMN gone_at TEXT;

CREATE TABLE relists (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    listing_id    INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    draft_id      INTEGER REFERENCES drafts (id) ON DELETE SET NULL,
    user_id       INTEGER NOT NULL,
    marketplace   TEXT NOT NULL,
    old_item_id   TEXT NOT NULL,
    old_price     REAL,
    price         REAL NOT NULL,
    status        TEXT NOT NULL,  -- offered, queued, running, done, failed, gone, snoozed
    step          TEXT NOT NULL DEFAULT 'copy',  -- copy, delete, deleting, complete, done
    copy_id       TEXT,  -- the Vinted draft holding the copy
    new_item_id   TEXT,
    known_items   TEXT,  -- the wardrobe just before the copy was sent
    owner         TEXT,
    lease_until   TEXT,
    retry_at      TEXT,
    failures      INTEGER NOT NULL DEFAULT 0,
    error         TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    finished_at   TEXT,
    told_at       TEXT,
    UNIQUE (marketplace, old_item_id)
);
CREATE INDEX relists_user ON relists (user_id, status);
