-- 7: what a seller sent, recorded as it arrives and before it is downloaded. A restart in
-- the middle of a batch fetches what was not stored yet again (Telegram's file ids stay
-- valid), so no photo the bot acknowledged is ever lost.
CREATE TABLE batch_inbox (
    batch_id   INTEGER NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    file_id    TEXT NOT NULL,
    name       TEXT NOT NULL,
    album_key  TEXT,
    caption    TEXT,
    status     TEXT NOT NULL DEFAULT 'pending',  -- pending, stored or refused
    reason     TEXT,                             -- why it was refused (a text key)
    created_at TEXT NOT NULL,
    PRIMARY KEY (batch_id, position)
);
