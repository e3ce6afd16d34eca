-- 8: whether the seller was told a publish's outcome. The listing URL is sent after the
-- settlement is stored; a bot killed in between tells it at its next start (told_at NULL).
ALTER TABLE publish_attempts ADD COLUMN told_at TEXT;
UPDATE publish_attempts SET told_at = finished_at WHERE status = 'finished';
