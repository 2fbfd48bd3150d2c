-- "For you" (src/ranking/for-you.ts): a member's own ranking, learned from what they upvote, save and
-- submit, and from the papers they mark "not interested", kept here.
CREATE TABLE not_interested (
  member_id  INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
  paper_id   INTEGER NOT NULL REFERENCES paper(id) ON DELETE CASCADE,
  created_at TEXT    NOT NULL,
  PRIMARY KEY (member_id, paper_id)
);

-- A member's taste: their linear model's weights (float32) over the vectors of one embedding model,
-- retrained whenever they vote, save, submit or mark a paper; gone with the model.
CREATE TABLE member_taste (
  member_id  INTEGER PRIMARY KEY REFERENCES member(id) ON DELETE CASCADE,
  model_id   INTEGER NOT NULL REFERENCES embedding_model(id) ON DELETE CASCADE,
  weights    BLOB    NOT NULL,
  trained_at TEXT    NOT NULL
);

-- What a member reads about, one topic a line (chosen at sign-up or in settings): For you starts
-- from these until they have voted.
ALTER TABLE member ADD COLUMN topics TEXT NOT NULL DEFAULT '';

-- A digest that leads with the member's own ranking rather than what is trending (1) or not (0).
ALTER TABLE subscriber ADD COLUMN for_you INTEGER NOT NULL DEFAULT 0 CHECK (for_you IN (0, 1));
