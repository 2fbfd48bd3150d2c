// Turning text into vectors, by the provider the operator chose (EMBEDDER):
// - builtin: the LSA model learned from this instance's papers (builtin.ts), stored in the database;
// - openai: any OpenAI-compatible /embeddings endpoint (Ollama, TEI, vLLM, OpenAI);
// - onnx: a local ONNX sentence-embedding model in a folder (onnx.ts);
// - none: keyword search only.
// Whatever the provider, the vectors that come back are unit length.
import type { Config } from '../../config/config.ts';
import type { Database } from '../../storage/db.ts';
import { resolve } from 'node:path';
import { deserializeBuiltin, embedWithBuiltin, normalize } from './builtin.ts';
import { onnxEmbedder } from './onnx.ts';
import { modelData, type ModelRow } from './vectors.ts';

export type EmbeddingSettings = Pick<Config, 'EMBEDDER' | 'EMBEDDING_URL' | 'EMBEDDING_MODEL' | 'EMBEDDING_API_KEY'>;

export const KEYWORD_ONLY: EmbeddingSettings = { EMBEDDER: 'none' };

export interface Embedder {
  embed(texts: string[]): Promise<Float32Array[]>;
}

export class EmbeddingError extends Error {}

/** What a paper's vector is made from. */
export function paperText(paper: { title: string; abstract: string }): string {
  return `${paper.title}\n${paper.abstract}`;
}

/** The name under which the configured external model's vectors are stored. */
export function externalModelName(settings: EmbeddingSettings): string {
  return settings.EMBEDDER === 'onnx' ? resolve(settings.EMBEDDING_MODEL!) : `${settings.EMBEDDING_MODEL} at ${settings.EMBEDDING_URL}`;
}

/** The configured external model (openai or onnx). */
export function externalEmbedder(settings: EmbeddingSettings, dimensions?: number): Embedder {
  return settings.EMBEDDER === 'onnx' ? onnxEmbedder(settings.EMBEDDING_MODEL!, dimensions) : openAiEmbedder(settings, dimensions);
}

/** Whether the stored model is the one the settings ask for (otherwise it is not used). */
export function modelMatches(model: ModelRow, settings: EmbeddingSettings): boolean {
  if (settings.EMBEDDER === 'none') return false;
  if (settings.EMBEDDER === 'builtin') return model.provider === 'builtin';
  return model.provider === settings.EMBEDDER && model.name === externalModelName(settings);
}

const builtins = new Map<number, Embedder>(); // model id → loaded model (ids are never reused)

export async function embedderFor(database: Database, model: ModelRow, settings: EmbeddingSettings): Promise<Embedder> {
  if (model.provider === 'builtin') {
    let embedder = builtins.get(model.id);
    if (!embedder) {
      const data = await modelData(database, model.id);
      if (!data) throw new EmbeddingError(`the built-in model ${model.id} has no data; run paperboy embed --retrain`);
      const loaded = deserializeBuiltin(data);
      const index = new Map(loaded.vocabulary.map((w, i) => [w, i]));
      embedder = { embed: async (texts) => texts.map((t) => embedWithBuiltin(loaded, t, index)) };
      builtins.clear(); // one model is active at a time; keep only the latest
      builtins.set(model.id, embedder);
    }
    return embedder;
  }
  return externalEmbedder(settings, model.dimensions);
}

const OPENAI_BATCH = 64;
const OPENAI_TIMEOUT_MS = 60_000;

/** An OpenAI-compatible embeddings endpoint: POST {url}/embeddings {model, input: [...]}. */
export function openAiEmbedder(settings: EmbeddingSettings, dimensions?: number): Embedder {
  const url = `${settings.EMBEDDING_URL!.replace(/\/+$/, '')}/embeddings`;
  return {
    async embed(texts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += OPENAI_BATCH) {
        const input = texts.slice(i, i + OPENAI_BATCH).map((t) => t.slice(0, 8_000) || ' ');
        let response: Response;
        try {
          response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(settings.EMBEDDING_API_KEY ? { authorization: `Bearer ${settings.EMBEDDING_API_KEY}` } : {}) },
            body: JSON.stringify({ model: settings.EMBEDDING_MODEL, input }),
            signal: AbortSignal.timeout(OPENAI_TIMEOUT_MS),
          });
        } catch (err) {
          throw new EmbeddingError(`the embeddings endpoint ${url} cannot be reached: ${(err as Error).message}`);
        }
        if (!response.ok) throw new EmbeddingError(`the embeddings endpoint ${url} answered HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
        const body = (await response.json().catch(() => null)) as { data?: { index?: number; embedding?: unknown }[] } | null;
        const data = body?.data;
        if (!Array.isArray(data) || data.length !== input.length) throw new EmbeddingError(`the embeddings endpoint ${url} did not return one embedding per input`);
        const ordered = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
        for (const item of ordered) {
          const e = item.embedding;
          if (!Array.isArray(e) || e.length === 0 || !e.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new EmbeddingError(`the embeddings endpoint ${url} returned a malformed embedding`);
          if (dimensions !== undefined && e.length !== dimensions) throw new EmbeddingError(`the embeddings endpoint ${url} returned ${e.length} dimensions where the stored model has ${dimensions}; run paperboy embed --retrain`);
          out.push(normalize(Float32Array.from(e as number[])));
        }
      }
      return out;
    },
  };
}
