-- 4: each marketplace site's own category tree, read through a seller's session, and each
-- draft's leaf in it (how it was chosen: by the rules, by the model, by the seller, or left
-- for the seller to choose among candidates). A publish attempt keeps the listings already on
-- the wardrobe just before it sent the form: none of them can be the one it created.
CREATE TABLE site_catalogs (
    marketplace TEXT NOT NULL,
    site        TEXT NOT NULL,
    tree        TEXT NOT NULL,
    fetched_at  TEXT NOT NULL,
    PRIMARY KEY (marketplace, site)
);

CREATE TABLE draft_categories (
    draft_id    INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    marketplace TEXT NOT NULL,
    site        TEXT NOT NULL,
    category    TEXT NOT NULL,
    ids         TEXT NOT NULL DEFAULT '[]',
    titles      TEXT NOT NULL DEFAULT '[]',
    how         TEXT NOT NULL,
    candidates  TEXT NOT NULL DEFAULT '[]',
    resolved_at TEXT NOT NULL,
    PRIMARY KEY (draft_id, marketplace, site)
);

ALTER TABLE publish_attempts ADD COLUMN known_items TEXT;
