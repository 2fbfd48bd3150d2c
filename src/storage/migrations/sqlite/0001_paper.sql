-- One row per arXiv paper, whatever version we last saw. Text columns hold what arXiv gives
-- (the abstract keeps its raw LaTeX and line breaks); times are ISO 8601 UTC text.
CREATE TABLE paper (
  id               INTEGER PRIMARY KEY,
  arxiv_id         TEXT    NOT NULL UNIQUE,            -- without version: 2301.00001, hep-th/9901001
  version          INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  title            TEXT    NOT NULL,
  abstract         TEXT    NOT NULL,
  authors          TEXT    NOT NULL DEFAULT '[]',      -- JSON array of names, in the paper's order
  categories       TEXT    NOT NULL DEFAULT '[]',      -- JSON array, primary category first
  primary_category TEXT,
  comment          TEXT,
  journal_ref      TEXT,
  doi              TEXT,
  report_no        TEXT,
  license          TEXT,
  published_at     TEXT,                               -- first version (v1) submitted
  arxiv_updated_on TEXT,                               -- arXiv's date of the latest version
  github_repo      TEXT,
  github_stars     INTEGER,
  project_page     TEXT,
  created_at       TEXT    NOT NULL,
  updated_at       TEXT    NOT NULL
);
CREATE INDEX paper_updated_at ON paper (updated_at); -- the newest change drives Last-Modified
