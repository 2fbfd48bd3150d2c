-- A moderator's pick: the paper leads its list with the community's picks (src/papers/picks.ts)
-- whatever its votes. The moderator who picked it, or NULL.
ALTER TABLE listing ADD COLUMN picked_by integer REFERENCES member(id) ON DELETE SET NULL;
