-- 3: one room per concept. What a marketplace holds for a draft lives in listings (one row
-- per draft and marketplace, written only when the queue settles a publish), sessions are kept
-- per seller and marketplace, a draft carries a version that every write bumps (edits are
-- compare-and-set on it), and the answer the bot waits for from a seller has its own table.
CREATE TABLE listings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    draft_id    INTEGER REFERENCES drafts (id) ON DELETE SET NULL,
    user_id     INTEGER NOT NULL,
    marketplace TEXT NOT NULL,
    item_id     TEXT NOT NULL,
    url         TEXT,
    is_draft    INTEGER NOT NULL DEFAULT 0,
    attempt_id  INTEGER REFERENCES publish_attempts (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (marketplace, item_id)
);
CREATE UNIQUE INDEX listings_draft ON listings (draft_id, marketplace) WHERE draft_id IS NOT NULL;
CREATE INDEX listings_user ON listings (user_id, marketplace);

INSERT INTO listings (draft_id, user_id, marketplace, item_id, url, is_draft, created_at)
SELECT id, user_id, 'vinted', CAST(vinted_item_id AS TEXT), vinted_url, vinted_url IS NULL,
       COALESCE(published_at, updated_at)
FROM drafts WHERE status = 'published' AND vinted_item_id IS NOT NULL;

ALTER TABLE drafts DROP COLUMN vinted_item_id;
ALTER TABLE drafts DROP COLUMN vinted_url;
ALTER TABLE drafts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
-- Nothing ever set "queued": an approved draft is in the queue.
UPDATE drafts SET status = 'approved' WHERE status = 'queued';

ALTER TABLE publish_attempts RENAME COLUMN vinted_item_id TO item_id;
ALTER TABLE publish_attempts ADD COLUMN marketplace TEXT NOT NULL DEFAULT 'vinted';

CREATE TABLE publish_accounts_v3 (
    user_id            INTEGER NOT NULL,
    marketplace        TEXT NOT NULL,
    not_before         TEXT,
    rate_limited_until TEXT,
    rate_limit_seconds REAL,
    paused_reason      TEXT,
    paused_at          TEXT,
    paused_detail      TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (user_id, marketplace)
);
INSERT INTO publish_accounts_v3 (user_id, marketplace, not_before, rate_limited_until,
    rate_limit_seconds, paused_reason, paused_at, paused_detail)
SELECT user_id, 'vinted', not_before, rate_limited_until, rate_limit_seconds, paused_reason,
       paused_at, paused_detail
FROM publish_accounts;
DROP TABLE publish_accounts;
ALTER TABLE publish_accounts_v3 RENAME TO publish_accounts;

CREATE TABLE marketplace_sessions (
    user_id         INTEGER NOT NULL,
    marketplace     TEXT NOT NULL,
    encrypted       BLOB NOT NULL,
    username        TEXT,
    account_id      TEXT,
    checked_at      TEXT,
    last_publish_at TEXT,
    status          TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (user_id, marketplace)
);
INSERT INTO marketplace_sessions (user_id, marketplace, encrypted, username, account_id,
    checked_at, last_publish_at, status)
SELECT user_id, 'vinted', encrypted, username, CAST(vinted_user_id AS TEXT), checked_at,
       last_publish_at, status
FROM vinted_sessions;
DROP TABLE vinted_sessions;

CREATE TABLE awaiting (
    user_id    INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    data       TEXT NOT NULL DEFAULT '{}',
    expires_at TEXT NOT NULL
);
UPDATE users SET settings = json_remove(settings, '$.awaiting');
