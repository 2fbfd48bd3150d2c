-- Which day's list a paper is on. A paper enters one list, once: the first day it was announced or
-- submitted. That day (`day`) is deliberately separate from the paper's arXiv dates.
CREATE TABLE listing (
  paper_id     bigint  PRIMARY KEY REFERENCES paper(id) ON DELETE CASCADE,
  day          date    NOT NULL,                       -- the list's day
  source       text    NOT NULL,                       -- what put it there: arxiv, huggingface, member
  submitted_by text,                                   -- the person who put it there, when one did
  listed_at    timestamptz NOT NULL,                   -- when it entered the list
  upvotes      integer NOT NULL DEFAULT 0 CHECK (upvotes >= 0)
);
CREATE INDEX listing_day ON listing (day, upvotes DESC);
CREATE INDEX listing_submitted_by ON listing (submitted_by) WHERE submitted_by IS NOT NULL;
