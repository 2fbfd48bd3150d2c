-- Members and their sessions (docs/accounts.md). An email address is confirmed by a link mailed to
-- it before the account can do anything; a password is optional, since a member can always sign in
-- by an emailed link.
CREATE TABLE member (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name              TEXT    NOT NULL UNIQUE,             -- public handle in /u/:name, lower-case
  email             TEXT    NOT NULL UNIQUE,             -- lower-cased
  password_hash     TEXT,                                -- argon2id; null: emailed links only
  role              TEXT    NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'moderator', 'admin')),
  email_verified_at timestamptz,
  created_at        timestamptz NOT NULL
);

-- A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a copy of the
-- database does not let anyone act as a member.
CREATE TABLE member_session (
  token_hash   TEXT    PRIMARY KEY,
  member_id    bigint  NOT NULL REFERENCES member(id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  user_agent   TEXT
);
CREATE INDEX member_session_member ON member_session (member_id);

-- One-use links mailed to a member: confirm an address, sign in, reset a password, move to a new
-- address. Hashed like sessions. `email` is where the link went (the new address for 'email').
CREATE TABLE member_link (
  token_hash TEXT    PRIMARY KEY,
  member_id  bigint  NOT NULL REFERENCES member(id) ON DELETE CASCADE,
  purpose    TEXT    NOT NULL CHECK (purpose IN ('verify', 'sign-in', 'reset', 'email')),
  email      TEXT    NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX member_link_email ON member_link (email, created_at);
CREATE INDEX member_link_member ON member_link (member_id);
