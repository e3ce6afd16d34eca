-- 9: the last edit of each draft can be undone. The listing as it was before the edit is kept
-- with the version the edit wrote: undo puts it back only if nothing changed the draft since.
CREATE TABLE draft_undo (
    draft_id    INTEGER PRIMARY KEY REFERENCES drafts (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    listing     TEXT NOT NULL,
    to_confirm  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
