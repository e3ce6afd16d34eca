-- 2: the publishing queue. A draft's publish_generation names its next attempt's key; an
-- attempt's owner and lease tell a live publish from one cut by a crash; publish_accounts
-- holds each Vinted account's pacing, rate limit and pause, so they survive a restart.
ALTER TABLE drafts ADD COLUMN publish_at TEXT;
ALTER TABLE drafts ADD COLUMN publish_generation INTEGER NOT NULL DEFAULT 1;
ALTER TABLE drafts ADD COLUMN publish_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE drafts ADD COLUMN publish_retry_at TEXT;
ALTER TABLE drafts ADD COLUMN publish_error TEXT;
CREATE INDEX drafts_status ON drafts (status, user_id);

ALTER TABLE publish_attempts ADD COLUMN owner TEXT;
ALTER TABLE publish_attempts ADD COLUMN lease_until TEXT;
CREATE INDEX publish_attempts_user ON publish_attempts (user_id, status);

ALTER TABLE vinted_sessions ADD COLUMN vinted_user_id INTEGER;

CREATE TABLE publish_accounts (
    user_id            INTEGER PRIMARY KEY,
    not_before         TEXT,
    rate_limited_until TEXT,
    rate_limit_seconds REAL,
    paused_reason      TEXT,
    paused_at          TEXT,
    paused_detail      TEXT NOT NULL DEFAULT '{}'
);
