-- One number that moves whenever anything a stranger's page shows changes: papers, their listings
-- (and so votes and picks), comments, members' names and roles, the searched embedding model. Every
-- server process keys its cache of rendered pages by it (src/http/response-cache.ts), so a change
-- made through any process, or by a command-line import, is seen by all of them at once.
CREATE TABLE change_clock (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  generation INTEGER NOT NULL
);
INSERT INTO change_clock (id, generation) VALUES (1, 0);

CREATE TRIGGER paper_clock_insert AFTER INSERT ON paper BEGIN UPDATE change_clock SET generation = generation + 1; END;
CREATE TRIGGER paper_clock_update AFTER UPDATE ON paper BEGIN UPDATE change_clock SET generation = generation + 1; END;
CREATE TRIGGER paper_clock_delete AFTER DELETE ON paper BEGIN UPDATE change_clock SET generation = generation + 1; END;
CREATE TRIGGER listing_clock_insert AFTER INSERT ON listing BEGIN UPDATE change_clock SET generation = generation + 1; END;
CREATE TRIGGER listing_clock_update AFTER UPDATE ON listing BEGIN UPDATE change_clock SET generation = generation + 1; END;
CREATE TRIGGER listing_clock_delete AFTER DELETE ON listing BEGIN UPDATE change_clock SET generation = generation + 1; END;
CREATE TRIGGER comment_clock_insert AFTER INSERT ON comment BEGIN UPDATE change_clock SET generation = generation + 1; END;
CREATE TRIGGER comment_clock_update AFTER UPDATE ON comment BEGIN UPDATE change_clock SET generation = generation + 1; END;
CREATE TRIGGER comment_clock_delete AFTER DELETE ON comment BEGIN UPDATE change_clock SET generation = generation + 1; END;
CREATE TRIGGER member_clock_update AFTER UPDATE OF name, role ON member BEGIN UPDATE change_clock SET generation = generation + 1; END;
CREATE TRIGGER member_clock_delete AFTER DELETE ON member BEGIN UPDATE change_clock SET generation = generation + 1; END;
CREATE TRIGGER model_clock_update AFTER UPDATE OF state ON embedding_model BEGIN UPDATE change_clock SET generation = generation + 1; END;
