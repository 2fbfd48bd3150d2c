-- Semantic search (docs/search.md). A model is what turns text into vectors: the built-in one is
-- learned from the instance's papers and stored here; an external one (OpenAI-compatible, ONNX) is
-- recorded by name. Every vector names its model, so vectors of two models never mix: a new model
-- is 'building' until every paper has its vector, then it becomes 'active' in one transaction and
-- the old model's vectors go.
--
-- Vectors are stored as real[] so that they survive without pgvector; searching them needs the
-- extension, which is enabled here when the server has it (an HNSW index per model is made when
-- the model becomes active). Without it keyword search still works and the server warns.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
    CREATE EXTENSION IF NOT EXISTS vector;
  END IF;
END $$;

CREATE TABLE embedding_model (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  provider     text    NOT NULL,
  name         text    NOT NULL,
  dimensions   integer NOT NULL,
  state        text    NOT NULL DEFAULT 'building' CHECK (state IN ('building', 'active', 'retired')),
  trained_on   integer,
  data         bytea,
  created_at   timestamptz NOT NULL,
  activated_at timestamptz
);

CREATE TABLE paper_embedding (
  model_id bigint NOT NULL REFERENCES embedding_model(id) ON DELETE CASCADE,
  paper_id bigint NOT NULL REFERENCES paper(id) ON DELETE CASCADE,
  vector   real[],
  PRIMARY KEY (model_id, paper_id)
);
