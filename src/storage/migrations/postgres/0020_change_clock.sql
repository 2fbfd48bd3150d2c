-- One number that moves whenever anything a stranger's page shows changes: papers, their listings
-- (and so votes and picks), comments, members' names and roles, the searched embedding model. Every
-- server process keys its cache of rendered pages by it (src/http/response-cache.ts), so a change
-- made through any process, on any machine, or by a command-line import, is seen by all of them.
CREATE TABLE change_clock (
  id         integer PRIMARY KEY CHECK (id = 1),
  generation bigint NOT NULL
);
INSERT INTO change_clock (id, generation) VALUES (1, 0);

-- The clock moves at commit (a deferred constraint trigger), once per transaction: its row is the
-- last lock a transaction takes, so it never waits on data rows while holding the clock (no
-- deadlock with votes or imports), and a reader never sees the new number before the new data.
CREATE FUNCTION tick_change_clock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('paperboy.clock_ticked', true), '') <> txid_current()::text THEN
    PERFORM set_config('paperboy.clock_ticked', txid_current()::text, true);
    UPDATE change_clock SET generation = generation + 1 WHERE id = 1;
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER paper_clock AFTER INSERT OR UPDATE OR DELETE ON paper
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tick_change_clock();
CREATE CONSTRAINT TRIGGER listing_clock AFTER INSERT OR UPDATE OR DELETE ON listing
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tick_change_clock();
CREATE CONSTRAINT TRIGGER comment_clock AFTER INSERT OR UPDATE OR DELETE ON comment
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tick_change_clock();
CREATE CONSTRAINT TRIGGER member_clock AFTER UPDATE OF name, role OR DELETE ON member
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tick_change_clock();
CREATE CONSTRAINT TRIGGER model_clock AFTER UPDATE OF state ON embedding_model
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tick_change_clock();
