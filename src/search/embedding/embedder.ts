// What every embedder is: texts in, unit-length vectors out. The providers (builtin.ts, openai.ts,
// onnx.ts) implement it and providers.ts picks the one the operator configured.
import type { Config } from '../../config/config.ts';

export type EmbeddingSettings = Pick<Config, 'EMBEDDER' | 'EMBEDDING_URL' | 'EMBEDDING_MODEL' | 'EMBEDDING_API_KEY'> &
  Partial<Pick<Config, 'HF_ENDPOINT' | 'MODEL_CACHE_DIR'>>;

export const KEYWORD_ONLY: EmbeddingSettings = { EMBEDDER: 'none' };

export interface Embedder {
  embed(texts: string[]): Promise<Float32Array[]>;
}

export class EmbeddingError extends Error {}

/** What a paper's vector is made from. */
export function paperText(paper: { title: string; abstract: string }): string {
  return `${paper.title}\n${paper.abstract}`;
}
