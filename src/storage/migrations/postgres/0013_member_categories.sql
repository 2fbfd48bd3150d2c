-- The categories a member reads (cs.CL, cs), comma-separated: lists apply them when no other
-- filter is asked for (src/pages/lists.tsx). Empty: every category.
ALTER TABLE member ADD COLUMN categories TEXT NOT NULL DEFAULT '';
