// What vector storage and search ask of a database engine: SQLite keeps vectors as float32 blobs
// and searches an in-memory graph (sqlite.ts); PostgreSQL keeps pgvector-castable arrays and
// searches pgvector's HNSW index (postgres.ts). vectors.ts and nearest.ts do the rest the same way.
import type { RawBuilder } from 'kysely';
import type { Database } from '../../../storage/db.ts';
import type { Restriction } from '../../restriction.ts';

/** What vector search needs to know of a model. */
export interface VectorModel {
  id: number;
  dimensions: number;
}

export interface Neighbour {
  id: number;
  score: number; // cosine similarity
}

export interface VectorEngine {
  /** Whether this database can run nearest-neighbour queries. */
  canSearch(database: Database): Promise<boolean>;
  /** A vector as the engine's column stores it. */
  encode(vector: Float32Array): Uint8Array | number[];
  /** `paper_embedding.vector` in the form the engine hands over fastest, for `read` to decode. */
  stored: RawBuilder<Uint8Array | null>;
  read(value: Uint8Array | null): Float32Array | null;
  /** Before the model becomes the one searched, with this many vectors: searches must move to a model ready for them. */
  prepareModel(database: Database, model: VectorModel, vectors: number): Promise<void>;
  /** Once it is: what the previous model left behind goes. */
  afterActivation(database: Database): Promise<void>;
  /** The restriction, with what the engine needs to know of it before searching (counted once, for both of hybrid's searches). */
  restrict(database: Database, restriction: Restriction, limit: number): Promise<Restriction>;
  /** The `limit` papers nearest the (unit, non-zero) query vector, best first, among those the restriction allows. */
  nearest(database: Database, model: VectorModel, query: Float32Array, limit: number, restriction: Restriction): Promise<Neighbour[]>;
}

/** Float32 bytes (SQLite's vectors, and members' taste models on both engines) as a vector. */
export function decodeVector(value: Uint8Array | null): Float32Array | null {
  if (value === null) return null;
  return new Float32Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
}
