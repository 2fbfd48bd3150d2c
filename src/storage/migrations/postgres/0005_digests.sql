-- Email digests (docs/digests.md). A subscriber needs no account: an address, confirmed by a
-- link mailed to it (double opt-in); nothing but that confirmation is ever sent before.
CREATE TABLE subscriber (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email           text    NOT NULL UNIQUE,                -- lower-cased
  status          text    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'unsubscribed', 'bounced')),
  frequency       text    NOT NULL DEFAULT 'daily' CHECK (frequency IN ('daily', 'weekly')),
  top_n           integer NOT NULL DEFAULT 10 CHECK (top_n BETWEEN 1 AND 50),
  topics          text    NOT NULL DEFAULT '[]',          -- JSON array of saved searches
  created_at      timestamptz NOT NULL,
  confirmed_at    timestamptz,
  changed_at      timestamptz NOT NULL
);

-- Every mail, built once and sent at most once: one row per (subscriber, kind, period), so a
-- digest run killed at any point and run again neither loses nor repeats a mail.
CREATE TABLE outbox (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subscriber_id   bigint REFERENCES subscriber(id) ON DELETE CASCADE,
  kind            text    NOT NULL CHECK (kind IN ('confirm', 'digest')),
  period          text    NOT NULL,                       -- daily:2026-07-01, weekly:2026-W27, or the confirmation's hour
  recipient       text    NOT NULL,
  subject         text    NOT NULL,
  html            text    NOT NULL,
  text_body       text    NOT NULL,
  headers         text    NOT NULL DEFAULT '{}',          -- JSON
  status          text    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  created_at      timestamptz NOT NULL,
  sent_at         timestamptz,
  UNIQUE (subscriber_id, kind, period)
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE status = 'pending';

-- Values the instance makes for itself on first use, such as the key that signs mail links.
CREATE TABLE setting (
  key   text PRIMARY KEY,
  value text NOT NULL
);
