// What every group of routes needs, handed over once by the server.
import type { FastifyRequest } from 'fastify';
import type { EmbeddingSettings } from '../search/embedding/embedder.ts';
import type { Database } from '../storage/db.ts';
import type { Site } from './pages/layout.tsx';

/** Throws a 429 HttpError once a client has used up its searches. */
export type SearchBudget = (request: FastifyRequest) => Promise<void>;

export interface WebContext {
  database: Database;
  /** Which embedding model semantic and hybrid search use. */
  embedding: EmbeddingSettings;
  site: Site;
  searchBudget: SearchBudget;
  /** The clock trending is computed against; tests fix it. */
  now: () => Date;
}
