-- Search filters (src/search/keyword.ts, allowedPapers) read indexes instead of every paper: a
-- category filter parsed each paper's JSON (hybrid search within cs.DS took 320 ms at 74.7k papers).
-- paper_category holds each paper's categories and their archives (cs.CL and cs), kept in step
-- with `paper` by triggers; dates use indexes on the first-version date and the listing time.
CREATE TABLE paper_category (
  category TEXT    NOT NULL, -- an arXiv category (cs.CL) or an archive (cs)
  paper_id INTEGER NOT NULL, -- no foreign key: the triggers find a paper's rows by its categories
  PRIMARY KEY (category, paper_id)
) WITHOUT ROWID;

CREATE TRIGGER paper_category_insert AFTER INSERT ON paper BEGIN
  INSERT OR IGNORE INTO paper_category (category, paper_id)
    SELECT value, new.id FROM json_each(new.categories)
    UNION SELECT substr(value, 1, instr(value, '.') - 1), new.id FROM json_each(new.categories) WHERE instr(value, '.') > 1;
END;

CREATE TRIGGER paper_category_update AFTER UPDATE OF categories ON paper BEGIN
  DELETE FROM paper_category WHERE paper_id = old.id AND category IN (
    SELECT value FROM json_each(old.categories)
    UNION SELECT substr(value, 1, instr(value, '.') - 1) FROM json_each(old.categories) WHERE instr(value, '.') > 1);
  INSERT OR IGNORE INTO paper_category (category, paper_id)
    SELECT value, new.id FROM json_each(new.categories)
    UNION SELECT substr(value, 1, instr(value, '.') - 1), new.id FROM json_each(new.categories) WHERE instr(value, '.') > 1;
END;

CREATE TRIGGER paper_category_delete AFTER DELETE ON paper BEGIN
  DELETE FROM paper_category WHERE paper_id = old.id AND category IN (
    SELECT value FROM json_each(old.categories)
    UNION SELECT substr(value, 1, instr(value, '.') - 1) FROM json_each(old.categories) WHERE instr(value, '.') > 1);
END;

INSERT OR IGNORE INTO paper_category (category, paper_id)
  SELECT value, paper.id FROM paper, json_each(paper.categories)
  UNION SELECT substr(value, 1, instr(value, '.') - 1), paper.id FROM paper, json_each(paper.categories) WHERE instr(value, '.') > 1;

CREATE INDEX paper_published_at ON paper (published_at);
CREATE INDEX listing_listed_at ON listing (listed_at);
