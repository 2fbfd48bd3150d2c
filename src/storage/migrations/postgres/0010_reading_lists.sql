-- Members' reading lists (docs/community.md). A list's address /u/NAME/lists/SLUG is fixed when it is
-- made: renaming changes its name, not its URL. Private lists are seen by their owner alone.
CREATE TABLE reading_list (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  member_id   bigint  NOT NULL REFERENCES member(id) ON DELETE CASCADE,
  slug        TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  description TEXT    NOT NULL DEFAULT '',
  public      smallint NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  UNIQUE (member_id, slug)
);

CREATE TABLE reading_list_paper (
  list_id  bigint  NOT NULL REFERENCES reading_list(id) ON DELETE CASCADE,
  paper_id bigint  NOT NULL REFERENCES paper(id) ON DELETE CASCADE,
  added_at timestamptz NOT NULL,
  PRIMARY KEY (list_id, paper_id)
);
