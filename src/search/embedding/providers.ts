// Turning text into vectors, by the provider the operator chose (EMBEDDER):
// - builtin: the LSA model learned from this instance's papers (builtin.ts), stored in the database;
// - openai: any OpenAI-compatible /embeddings endpoint (Ollama, TEI, vLLM, OpenAI; openai.ts);
// - onnx: a local ONNX sentence-embedding model in a folder (onnx.ts);
// - none: keyword search only.
// Whatever the provider, the vectors that come back are unit length.
import { resolve } from 'node:path';
import { isModelId } from '../../config/config.ts';
import type { Database } from '../../storage/db.ts';
import { deserializeBuiltin, embedWithBuiltin } from './builtin.ts';
import { EmbeddingError, type Embedder, type EmbeddingSettings } from './embedder.ts';
import { onnxEmbedder } from './onnx.ts';
import { openAiEmbedder } from './openai.ts';
import { modelData, type ModelRow } from './vectors.ts';

/** The name under which the configured external model's vectors are stored. */
export function externalModelName(settings: EmbeddingSettings): string {
  return settings.EMBEDDER === 'onnx'
    ? onnxModelName(settings.EMBEDDING_MODEL!)
    : `${settings.EMBEDDING_MODEL} at ${settings.EMBEDDING_URL}`;
}

/** The configured external model (openai or onnx). */
export function externalEmbedder(settings: EmbeddingSettings, dimensions?: number): Embedder {
  return settings.EMBEDDER === 'onnx' ? onnxEmbedder(settings, dimensions) : openAiEmbedder(settings, dimensions);
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

/** A model id names itself; a folder by its full path. */
function onnxModelName(model: string): string {
  return isModelId(model) ? model : resolve(model);
}
