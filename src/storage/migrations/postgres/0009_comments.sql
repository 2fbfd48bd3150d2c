-- Discussion under each paper (docs/community.md): comments with one level of replies, their edit
-- history, and reports that moderators handle from a queue. A comment's author may delete it (its
-- replies stay); a moderator may hide it with a reason, which its author still sees.
CREATE TABLE comment (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  paper_id      bigint  NOT NULL REFERENCES paper(id) ON DELETE CASCADE,
  member_id     bigint  NOT NULL REFERENCES member(id) ON DELETE CASCADE,
  parent_id     bigint  REFERENCES comment(id) ON DELETE CASCADE, -- a top-level comment: replies go one level deep
  body          TEXT    NOT NULL,                                  -- Markdown as last written
  created_at    timestamptz NOT NULL,
  edited_at     timestamptz,
  deleted_at    timestamptz,
  hidden_at     timestamptz,
  hidden_by     bigint  REFERENCES member(id) ON DELETE SET NULL,
  hidden_reason TEXT    CHECK (hidden_reason IN ('spam', 'abuse', 'off-topic', 'resolved'))
);
CREATE INDEX comment_paper ON comment (paper_id, created_at);
CREATE INDEX comment_member ON comment (member_id, created_at);

-- Every earlier version of an edited comment, with when it was written.
CREATE TABLE comment_revision (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  comment_id bigint  NOT NULL REFERENCES comment(id) ON DELETE CASCADE,
  body       TEXT    NOT NULL,
  written_at timestamptz NOT NULL
);
CREATE INDEX comment_revision_comment ON comment_revision (comment_id);

-- A member's report of a comment; one per member and comment. Open until a moderator hides the
-- comment or dismisses its reports.
CREATE TABLE comment_report (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  comment_id  bigint  NOT NULL REFERENCES comment(id) ON DELETE CASCADE,
  member_id   bigint  NOT NULL REFERENCES member(id) ON DELETE CASCADE,
  reason      TEXT    NOT NULL CHECK (reason IN ('spam', 'abuse', 'off-topic', 'other')),
  note        TEXT,
  created_at  timestamptz NOT NULL,
  resolved_at timestamptz,
  resolved_by bigint  REFERENCES member(id) ON DELETE SET NULL,
  outcome     TEXT    CHECK (outcome IN ('hidden', 'dismissed')),
  UNIQUE (comment_id, member_id)
);
CREATE INDEX comment_report_open ON comment_report (created_at) WHERE resolved_at IS NULL;
