-- Members' upvotes (one per member per paper). listing.upvotes stays the one count lists rank by:
-- the highest count a source reported (imported_upvotes, which imports may raise) plus the members'
-- votes, changed by one in the same transaction as each vote, so it is exact under concurrency.
ALTER TABLE listing ADD COLUMN imported_upvotes INTEGER NOT NULL DEFAULT 0 CHECK (imported_upvotes >= 0);
UPDATE listing SET imported_upvotes = upvotes;

CREATE TABLE upvote (
  member_id  INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
  paper_id   INTEGER NOT NULL REFERENCES paper(id) ON DELETE CASCADE,
  created_at TEXT    NOT NULL,
  PRIMARY KEY (member_id, paper_id)
);
CREATE INDEX upvote_member_recent ON upvote (member_id, created_at); -- a profile's upvoted papers
