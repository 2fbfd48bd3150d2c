-- Semantic search (docs/search.md). A model is what turns text into vectors: the built-in one is
-- learned from the instance's papers and stored here; an external one (OpenAI-compatible, ONNX) is
-- recorded by name. Every vector names its model, so vectors of two models never mix: a new model
-- is 'building' until every paper has its vector, then it becomes 'active' in one transaction and
-- the old model's vectors go.
CREATE TABLE embedding_model (
  id           INTEGER PRIMARY KEY,
  provider     text    NOT NULL,                  -- builtin, openai, onnx
  name         text    NOT NULL,
  dimensions   integer NOT NULL,
  state        text    NOT NULL DEFAULT 'building' CHECK (state IN ('building', 'active', 'retired')),
  trained_on   integer,                           -- papers the built-in model learned from
  data         BLOB,                              -- the built-in model itself
  created_at   TEXT    NOT NULL,
  activated_at TEXT
);

-- One vector per (model, paper): float32, unit length; NULL when the paper has no word the model knows.
CREATE TABLE paper_embedding (
  model_id integer NOT NULL REFERENCES embedding_model(id) ON DELETE CASCADE,
  paper_id integer NOT NULL REFERENCES paper(id) ON DELETE CASCADE,
  vector   BLOB,
  PRIMARY KEY (model_id, paper_id)
) WITHOUT ROWID;
