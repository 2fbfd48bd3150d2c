-- Search filters (src/search/keyword.ts, allowedPapers) read indexes instead of every paper: a
-- category filter parsed each paper's JSON (hybrid search within cs.DS took 290 ms on PGlite at
-- 74.7k papers). paper_category holds each paper's categories and their archives (cs.CL and cs),
-- kept in step with `paper` by statement triggers; dates use indexes on the first-version date and
-- the listing time.
CREATE TABLE paper_category (
  category text    COLLATE "C" NOT NULL, -- an arXiv category (cs.CL) or an archive (cs)
  paper_id integer NOT NULL,             -- no foreign key: the triggers find a paper's rows by its categories
  PRIMARY KEY (category, paper_id)
);

CREATE FUNCTION paperboy_categories(id bigint, categories jsonb)
  RETURNS TABLE (category text, paper_id integer) LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT c.value, paperboy_categories.id::integer FROM jsonb_array_elements_text(paperboy_categories.categories) AS c(value)
  UNION
  SELECT split_part(c.value, '.', 1), paperboy_categories.id::integer FROM jsonb_array_elements_text(paperboy_categories.categories) AS c(value)
  WHERE position('.' IN c.value) > 1;
END;

CREATE FUNCTION paper_category_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO paper_category SELECT c.* FROM new_rows AS n, paperboy_categories(n.id, n.categories) AS c;
  ELSIF TG_OP = 'UPDATE' THEN
    -- Only papers whose categories changed (a new version may move them).
    DELETE FROM paper_category AS p
      USING (SELECT c.* FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id, paperboy_categories(o.id, o.categories) AS c
             WHERE n.categories IS DISTINCT FROM o.categories) AS gone
      WHERE p.category = gone.category AND p.paper_id = gone.paper_id;
    INSERT INTO paper_category
      SELECT c.* FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id, paperboy_categories(n.id, n.categories) AS c
      WHERE n.categories IS DISTINCT FROM o.categories;
  ELSE
    DELETE FROM paper_category AS p
      USING (SELECT c.* FROM old_rows AS o, paperboy_categories(o.id, o.categories) AS c) AS gone
      WHERE p.category = gone.category AND p.paper_id = gone.paper_id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER paper_category_insert AFTER INSERT ON paper REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION paper_category_sync();
CREATE TRIGGER paper_category_update AFTER UPDATE ON paper REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION paper_category_sync();
CREATE TRIGGER paper_category_delete AFTER DELETE ON paper REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION paper_category_sync();

INSERT INTO paper_category SELECT c.* FROM paper AS p, paperboy_categories(p.id, p.categories) AS c;

CREATE INDEX paper_published_at ON paper (published_at) INCLUDE (id);
CREATE INDEX listing_listed_at ON listing (listed_at);
