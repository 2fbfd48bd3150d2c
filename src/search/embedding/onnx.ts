// An ONNX sentence-embedding model (EMBEDDER=onnx), run by transformers.js: EMBEDDING_MODEL is a
// folder holding config.json, tokenizer.json and onnx/model.onnx, as Optimum exports them, or a
// Hugging Face model id, downloaded once and checked by hub.ts. transformers.js itself never
// downloads: remote models are off. Token vectors are mean-pooled and made unit length.
// transformers.js (with ONNX Runtime, 428 MB) is not part of the default install: an operator who
// wants EMBEDDER=onnx installs it (TRANSFORMERS_INSTALL); until then EMBEDDER=onnx says so.
import { basename, dirname } from 'node:path';
import { EmbeddingError, type Embedder } from './embedder.ts';
import { modelFolder, type HubSettings } from './hub.ts';

type Extractor = (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<{ dims: number[]; tolist(): unknown }>;

const BATCH = 32;
const extractors = new Map<string, Promise<Extractor>>(); // folder → loaded model

/** How to add transformers.js, at the version this code is tested with. */
export const TRANSFORMERS_INSTALL = 'npm install @huggingface/transformers@4.3.2';

/** What is used of transformers.js (typed here, since a default install does not have it). */
interface Transformers {
  env: { allowRemoteModels: boolean; localModelPath: string };
  pipeline(task: 'feature-extraction', model: string, options: { dtype: 'fp32' }): Promise<unknown>;
}

async function load(folder: string): Promise<Extractor> {
  let transformers: Transformers;
  try {
    const name = '@huggingface/transformers'; // a variable, so the type checker does not look for it
    transformers = (await import(name)) as Transformers;
  } catch {
    throw new EmbeddingError(
      `EMBEDDER=onnx needs transformers.js, which is not part of the default install: run ${TRANSFORMERS_INSTALL} (428 MB, ONNX Runtime)`,
    );
  }
  transformers.env.allowRemoteModels = false;
  transformers.env.localModelPath = `${dirname(folder)}/`;
  try {
    return (await transformers.pipeline('feature-extraction', basename(folder), { dtype: 'fp32' })) as unknown as Extractor;
  } catch (err) {
    throw new EmbeddingError(
      `the ONNX model in ${folder} cannot be loaded (it needs config.json, tokenizer.json and onnx/model.onnx): ${(err as Error).message}`,
    );
  }
}

export function onnxEmbedder(settings: HubSettings, dimensions?: number): Embedder {
  const path = settings.EMBEDDING_MODEL!;
  return {
    async embed(texts) {
      let extractor = extractors.get(path);
      if (!extractor) {
        extractor = modelFolder(settings).then(load);
        extractors.set(path, extractor);
        extractor.catch(() => extractors.delete(path)); // try again next time: the folder or the network may be fixed
      }
      const extract = await extractor;
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += BATCH) {
        const tensor = await extract(
          texts.slice(i, i + BATCH).map((t) => t || ' '),
          { pooling: 'mean', normalize: true },
        );
        for (const row of tensor.tolist() as number[][]) {
          if (dimensions !== undefined && row.length !== dimensions)
            throw new EmbeddingError(
              `the ONNX model in ${path} gives ${row.length} dimensions where the stored model has ${dimensions}; run paperboy embed --retrain`,
            );
          out.push(Float32Array.from(row, (x) => (Number.isFinite(x) ? x : 0)));
        }
      }
      return out;
    },
  };
}
