-- 10: a deleted draft can be brought back for a while. Its row and the rows that hang on it
-- are kept as they were; its photos stay (the purge leaves photos a kept draft shows).
CREATE TABLE draft_trash (
    draft_id   INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    draft      TEXT NOT NULL,  -- the drafts row, column by column
    related    TEXT NOT NULL,  -- its draft_photos and draft_categories rows, its listing and attempt ids
    deleted_at TEXT NOT NULL
);
CREATE TABLE draft_trash_photos (
    draft_id INTEGER NOT NULL REFERENCES draft_trash (draft_id) ON DELETE CASCADE,
    photo_id INTEGER NOT NULL REFERENCES photos (id),
    PRIMARY KEY (draft_id, photo_id)
);
CREATE INDEX draft_trash_photo ON draft_trash_photos (photo_id);
