-- Keyword search: an FTS5 index over title, abstract and authors, kept in step with `paper` by
-- triggers (so every write path, import and ingest alike, indexes). The porter stemmer makes
-- "compression" find "compressing"; unicode61 splits on hyphens and LaTeX punctuation, so KV-cache,
-- "KV cache" and $\mathrm{KV}$ cache all index as kv + cache.
CREATE VIRTUAL TABLE paper_fts USING fts5(
  title, abstract, authors,
  content = 'paper', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER paper_fts_insert AFTER INSERT ON paper BEGIN
  INSERT INTO paper_fts (rowid, title, abstract, authors) VALUES (new.id, new.title, new.abstract, new.authors);
END;

CREATE TRIGGER paper_fts_delete AFTER DELETE ON paper BEGIN
  INSERT INTO paper_fts (paper_fts, rowid, title, abstract, authors) VALUES ('delete', old.id, old.title, old.abstract, old.authors);
END;

CREATE TRIGGER paper_fts_update AFTER UPDATE OF title, abstract, authors ON paper BEGIN
  INSERT INTO paper_fts (paper_fts, rowid, title, abstract, authors) VALUES ('delete', old.id, old.title, old.abstract, old.authors);
  INSERT INTO paper_fts (rowid, title, abstract, authors) VALUES (new.id, new.title, new.abstract, new.authors);
END;

-- Rank by bm25 weighting title 5, abstract 1, authors 2, so `ORDER BY rank` sorts inside FTS5.
INSERT INTO paper_fts (paper_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0, 2.0)');
INSERT INTO paper_fts (paper_fts) VALUES ('rebuild');
