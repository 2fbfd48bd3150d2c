-- Account mails (address checks, sign-in and reset links, "you already have an account") as the
-- operator's outbox page lists them beside digests: who, what kind, and whether it went. Never the
-- body: it holds one-time links. Kept 30 days (src/accounts/mail-log.ts).
CREATE TABLE account_mail (
  id         INTEGER PRIMARY KEY,
  recipient  TEXT NOT NULL,
  kind       TEXT NOT NULL,
  subject    TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('sent', 'failed', 'throttled')),
  error      TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX account_mail_created ON account_mail (created_at);
