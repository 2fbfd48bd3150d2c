-- What a source of picks says of a paper besides arXiv's metadata (Hugging Face's daily papers):
-- its AI-written one-line summary and keywords, and the organization that claimed the paper.
ALTER TABLE paper
  ADD COLUMN ai_summary text,
  ADD COLUMN ai_keywords text NOT NULL DEFAULT '[]',
  ADD COLUMN organization text;
