-- Rollups written before 0002 have no play_starts: re-derive every day they cover (the background
-- refresh does it, oldest marks first; reads say how fresh each day is meanwhile).
INSERT INTO analytics_dirty_days (day, version, marked_at)
SELECT DISTINCT day, 1, unixepoch() * 1000 FROM track_daily WHERE true
ON CONFLICT (day) DO UPDATE SET version = version + 1;
