-- 11: prices from what sold. What the market said for a site's leaf, brand and condition is
-- kept for a day (read sparingly through a seller's session); each draft keeps the basis of
-- its price, as the card says it.
CREATE TABLE market_reads (
    site       TEXT NOT NULL,
    catalog_id INTEGER NOT NULL,
    brand      TEXT NOT NULL,  -- folded, '' for none
    condition  TEXT NOT NULL,
    read       TEXT NOT NULL,
    read_at    TEXT NOT NULL,
    PRIMARY KEY (site, catalog_id, brand, condition)
);
CREATE TABLE draft_prices (
    draft_id   INTEGER PRIMARY KEY REFERENCES drafts (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL,
    basis      TEXT NOT NULL,
    created_at TEXT NOT NULL
);
