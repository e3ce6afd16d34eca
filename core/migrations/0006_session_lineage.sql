-- 6: the session's cookie lineage. It grows each time the cookies are replaced (a new
-- /connect) or rotated (a run saved what the site handed out). A run writes its cookies back
-- only onto the lineage it started from, so a run that ends late never overwrites a newer
-- session (another account, or tokens rotated since: Vinted's refresh token is single use).
ALTER TABLE marketplace_sessions ADD COLUMN cookies_version INTEGER NOT NULL DEFAULT 1;
