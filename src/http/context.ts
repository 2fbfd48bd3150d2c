// What every handler is given: the database, the configuration and the services the composition
// root (app/server.ts) builds once per server, so handlers hold no state of their own.
import type { FastifyRequest } from 'fastify';
import type { Throttle } from '../coordination/throttle.ts';
import type { RequestMetrics } from './metrics.ts';
import type { Lookup, SubmissionRules } from '../community/submissions.ts';
import type { Config } from '../config/config.ts';
import type { MailContext } from '../digests/digest.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Role } from '../model/community.ts';
import type { EmbeddingSettings } from '../search/embedding/embedder.ts';
import type { Database } from '../storage/db.ts';

/** The site as a page shows it. */
export interface Site {
  name: string;
  publicUrl: string;
  /** The signed-in member this page is for, with a CSRF token for the sign-out button. */
  viewer?: { id: number; name: string; role: Role; csrf: string };
}

/** Throws a 429 HttpError once a client has used up its searches. */
export type SearchBudget = (request: FastifyRequest) => Promise<void>;

/** Limits counted in the database (so every server process counts alike), beside the routes' request rate limits. */
export interface Throttles {
  /** Account mails per address. */
  accountMails: Throttle;
  /** Wrong passwords per address tried: slows guessing, never locks out mailed links. */
  wrongPasswords: Throttle;
  /** Comments per member. */
  comments: Throttle;
}

export interface AppContext {
  config: Config;
  database: Database;
  /** Which embedding model semantic and hybrid search use. */
  embedding: EmbeddingSettings;
  site: Site;
  searchBudget: SearchBudget;
  /** The clock trending, sessions and limits are computed against; tests fix it. */
  now: () => Date;
  mailer: Mailer;
  /** What digest and confirmation mails are sent with. */
  mail: MailContext;
  throttles: Throttles;
  /** This process's request counts and latencies, for /metrics. */
  metrics: RequestMetrics;
  submissions: { rules: SubmissionRules; lookup: Lookup };
}
