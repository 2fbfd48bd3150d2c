-- Members' reading lists (docs/community.md). A list's address /u/NAME/lists/SLUG is fixed when it is
-- made: renaming changes its name, not its URL. Private lists are seen by their owner alone.
CREATE TABLE reading_list (
  id          INTEGER PRIMARY KEY,
  member_id   INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
  slug        TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  description TEXT    NOT NULL DEFAULT '',
  public      INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
  created_at  TEXT    NOT NULL,
  updated_at  TEXT    NOT NULL,
  UNIQUE (member_id, slug)
);

CREATE TABLE reading_list_paper (
  list_id  INTEGER NOT NULL REFERENCES reading_list(id) ON DELETE CASCADE,
  paper_id INTEGER NOT NULL REFERENCES paper(id) ON DELETE CASCADE,
  added_at TEXT    NOT NULL,
  PRIMARY KEY (list_id, paper_id)
);
