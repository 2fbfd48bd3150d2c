-- Keyword search: a weighted tsvector the database keeps up to date itself (title A, authors B,
-- abstract C), with a GIN index. The english configuration stems ("compression" finds
-- "compressing"); its parser splits hyphenated words and LaTeX punctuation, so KV-cache, "KV cache"
-- and $\mathrm{KV}$ cache all index as kv + cache. Accents are folded (Châtelet = chatelet), as
-- SQLite's tokenizer does; the query side folds the same way (src/search/query.ts).
CREATE FUNCTION paperboy_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN translate(lower($1), 'àáâãäåāăąçćčďèéêëēėęěğìíîïīįıľłñńňòóôõöøōőŕřśşšťùúûüūůűųýÿźżž', 'aaaaaaaaacccdeeeeeeeegiiiiiiillnnnoooooooorrssstuuuuuuuuyyzzz');

ALTER TABLE paper ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', paperboy_fold(title)), 'A') ||
  setweight(to_tsvector('english', paperboy_fold(authors::text)), 'B') ||
  setweight(to_tsvector('english', paperboy_fold(abstract)), 'C')
) STORED;

CREATE INDEX paper_search ON paper USING gin (search);
