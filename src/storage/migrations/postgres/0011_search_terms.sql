-- Keyword ranking on PostgreSQL: an inverted index of the search tsvector, one row per word of each
-- paper with the word's bm25 weight there, so ranking reads narrow index entries instead of every
-- matching paper's tsvector (ts_rank_cd over a few thousand matches cost 60-140 ms on PGlite and
-- 15-110 ms on a server; summing these rows costs a few). It ranks as SQLite's FTS5 does: bm25 with
-- k1 = 1.2, b = 0.75 and the fields weighted title 5, authors 2, abstract 1.
--   weight = w (k1 + 1) / (w + k1 (1 - b + b d / 165)), w = 5·tf(title) + 2·tf(authors) + tf(abstract),
-- d = the paper's words, 165 being the mean over the 74.7k arXiv cs papers (a fixed mean keeps the
-- weights stable as papers come; abstracts are about that long). The query side multiplies by each
-- word's idf (src/search/keyword.ts). Triggers keep it in step with `paper`, whatever writes.
CREATE TABLE paper_term (
  term     text    NOT NULL, -- a lexeme of paper.search
  paper_id integer NOT NULL, -- no foreign key: the delete trigger removes a paper's rows by its words
  weight   real    NOT NULL,
  PRIMARY KEY (term, paper_id) INCLUDE (weight)
);

CREATE FUNCTION paperboy_terms(id bigint, search tsvector)
  RETURNS TABLE (term text, paper_id integer, weight real) LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT w.lexeme, paperboy_terms.id::integer, w.tf * 2.2 / (w.tf + 1.2 * (0.25 + 0.75 * d.words / 165.0))
  FROM (SELECT sum(cardinality(u.positions)) AS words FROM unnest(paperboy_terms.search) AS u) AS d,
       LATERAL (SELECT u.lexeme, (SELECT sum(CASE x WHEN 'A' THEN 5 WHEN 'B' THEN 2 ELSE 1 END) FROM unnest(u.weights) AS x) AS tf
                FROM unnest(paperboy_terms.search) AS u) AS w;
END;

CREATE FUNCTION paper_term_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO paper_term SELECT t.* FROM new_rows AS n, paperboy_terms(n.id, n.search) AS t;
  ELSIF TG_OP = 'UPDATE' THEN
    -- Only papers whose words changed (a new version); stars or links leave the index alone.
    DELETE FROM paper_term AS p
      USING (SELECT o.id, unnest(tsvector_to_array(o.search)) AS term
             FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id WHERE n.search IS DISTINCT FROM o.search) AS gone
      WHERE p.term = gone.term AND p.paper_id = gone.id;
    INSERT INTO paper_term
      SELECT t.* FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id, paperboy_terms(n.id, n.search) AS t
      WHERE n.search IS DISTINCT FROM o.search;
  ELSE
    DELETE FROM paper_term AS p
      USING (SELECT o.id, unnest(tsvector_to_array(o.search)) AS term FROM old_rows AS o) AS gone
      WHERE p.term = gone.term AND p.paper_id = gone.id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER paper_term_insert AFTER INSERT ON paper REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION paper_term_sync();
CREATE TRIGGER paper_term_update AFTER UPDATE ON paper REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION paper_term_sync();
CREATE TRIGGER paper_term_delete AFTER DELETE ON paper REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION paper_term_sync();

INSERT INTO paper_term SELECT t.* FROM paper AS p, paperboy_terms(p.id, p.search) AS t;
