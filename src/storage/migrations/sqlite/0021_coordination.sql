-- What server processes share besides the data, however many there are and on however many
-- machines (src/coordination/): who runs a job now (a lease, which expires if its holder dies),
-- the counts of rate limits' windows, and the recent events throttles count. Times are
-- milliseconds since 1970.
CREATE TABLE lease (
  name       TEXT PRIMARY KEY,
  holder     TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);

CREATE TABLE rate_count (
  key          TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  count        INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_count_expires ON rate_count (expires_at);

CREATE TABLE throttle_event (
  kind TEXT NOT NULL,
  key  TEXT NOT NULL,
  at   INTEGER NOT NULL
);
CREATE INDEX throttle_event_key ON throttle_event (kind, key, at);
