-- One row per arXiv paper, whatever version we last saw. Text columns hold what arXiv gives
-- (the abstract keeps its raw LaTeX and line breaks).
CREATE TABLE paper (
  id               bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  arxiv_id         text    NOT NULL UNIQUE,            -- without version: 2301.00001, hep-th/9901001
  version          integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  title            text    NOT NULL,
  abstract         text    NOT NULL,
  authors          jsonb   NOT NULL DEFAULT '[]',      -- array of names, in the paper's order
  categories       jsonb   NOT NULL DEFAULT '[]',      -- array, primary category first
  primary_category text,
  comment          text,
  journal_ref      text,
  doi              text,
  report_no        text,
  license          text,
  published_at     timestamptz,                        -- first version (v1) submitted
  arxiv_updated_on date,                               -- arXiv's date of the latest version
  github_repo      text,
  github_stars     integer,
  project_page     text,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX paper_updated_at ON paper (updated_at); -- the newest change drives Last-Modified
