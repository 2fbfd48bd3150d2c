// The vector engine of a database's dialect.
import type { Database, Dialect } from '../../../storage/db.ts';
import type { VectorEngine } from './engine.ts';
import { postgresVectors } from './postgres.ts';
import { sqliteVectors } from './sqlite.ts';

const ENGINES: Record<Dialect, VectorEngine> = { sqlite: sqliteVectors, postgres: postgresVectors };

export const vectorEngine = (database: Database): VectorEngine => ENGINES[database.dialect];
