-- Whether a listing's day was seen on a list (an arXiv announcement, a Hugging Face day) or only
-- computed from the paper's v1 time: a seen day always beats a computed one.
ALTER TABLE listing ADD COLUMN day_estimated smallint NOT NULL DEFAULT 0 CHECK (day_estimated IN (0, 1));

-- Where each ingest source stands: its cursor, an interrupted harvest's resumption point, and how
-- its last run went (shown by `paperboy status` and /admin/status).
CREATE TABLE ingest_state (
  source          text PRIMARY KEY,                    -- rss, oai:cs:cs:AI, huggingface, …
  cursor          text,                                -- where the next incremental run starts
  resume          text,                                -- JSON: an unfinished harvest's token and window
  last_run_at     timestamptz,
  last_success_at timestamptz,
  last_error      text,                                -- null after a successful run
  last_summary    text                                 -- JSON: counts of the last run
);
