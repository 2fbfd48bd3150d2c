-- Personal API tokens (src/accounts/api-tokens.ts): a member's scripts act as them through
-- `Authorization: Bearer <token>`. Only the token's SHA-256 is kept, with its last characters so the
-- member can tell their tokens apart.
CREATE TABLE api_token (
  id           INTEGER PRIMARY KEY,
  member_id    INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
  name         TEXT    NOT NULL,
  token_hash   TEXT    NOT NULL UNIQUE,
  hint         TEXT    NOT NULL,
  created_at   TEXT    NOT NULL,
  last_used_at TEXT
);
CREATE INDEX api_token_member ON api_token (member_id);
