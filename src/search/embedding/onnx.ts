// An ONNX sentence-embedding model (EMBEDDER=onnx), run by transformers.js: EMBEDDING_MODEL is a
// folder holding config.json, tokenizer.json and onnx/model.onnx, as Optimum exports them, or a
// Hugging Face model id, downloaded once and checked by hub.ts. transformers.js itself never
// downloads: remote models are off. A text is embedded as sentence-transformers, which trained
// these models, embeds it: cut to the model's max_seq_length (sentence_bert_config.json), its token
// vectors pooled as 1_Pooling/config.json says (the first token for bge models; the mean for
// MiniLM, and when the folder does not say), then made unit length.
// transformers.js (with ONNX Runtime, 428 MB) is not part of the default install: an operator who
// wants EMBEDDER=onnx installs it (TRANSFORMERS_INSTALL); until then EMBEDDER=onnx says so.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { EmbeddingError, type Embedder } from './embedder.ts';
import { modelFolder, type HubSettings } from './hub.ts';

type Pooling = 'mean' | 'cls';
/** Embeds one batch of texts: unit vectors. */
type Model = (texts: string[]) => Promise<number[][]>;

/**
 * Texts a model reads at once. On 2 cores small batches were faster and lighter: 8 at a time
 * (sorted by length) embedded 53 papers a second with a MiniLM-shaped model against 44.5 for 32,
 * 22.7 against 17.2 with bge-small's shape, and the process peaked at 583 MB instead of 842.
 */
const BATCH = 8;
const models = new Map<string, Promise<Model>>(); // EMBEDDING_MODEL → loaded model

/** How to add transformers.js, at the version this code is tested with. */
export const TRANSFORMERS_INSTALL = 'npm install @huggingface/transformers@4.3.2';

/** What is used of transformers.js (typed here, since a default install does not have it). */
interface Tensor {
  slice(...ranges: (number | null)[]): Tensor;
  normalize(p: number, dim: number): Tensor;
  tolist(): unknown;
}
interface Transformers {
  env: { allowRemoteModels: boolean; localModelPath: string };
  AutoTokenizer: {
    from_pretrained(
      name: string,
    ): Promise<(texts: string[], options: { padding: true; truncation: true; max_length?: number }) => { attention_mask: Tensor }>;
  };
  AutoModel: {
    from_pretrained(name: string, options: { dtype: 'fp32' }): Promise<(inputs: object) => Promise<{ last_hidden_state: Tensor }>>;
  };
  mean_pooling(tokens: Tensor, attentionMask: Tensor): Tensor;
}

const readJson = (path: string): Record<string, unknown> | null => {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new EmbeddingError(`the model's ${path} cannot be read: ${(err as Error).message}`);
  }
};

/**
 * How the model's token vectors become one: as sentence-transformers, which trained these models,
 * is told in the folder's 1_Pooling/config.json; the mean when there is none (most ONNX exports of
 * mean-pooled models carry no such file). A model pooled another way would give vectors it was not
 * trained to give, so it is refused.
 */
function poolingOf(folder: string): Pooling {
  const path = join(folder, '1_Pooling', 'config.json');
  const modes = readJson(path);
  if (!modes) return 'mean';
  const on = Object.keys(modes).filter((key) => key.startsWith('pooling_mode_') && modes[key] === true);
  if (on.length === 1 && on[0] === 'pooling_mode_cls_token') return 'cls';
  if (on.length === 1 && on[0] === 'pooling_mode_mean_tokens') return 'mean';
  throw new EmbeddingError(
    `the model pools its token vectors by ${on.join(' + ') || 'nothing'} (${path}); paperboy runs models pooled by the mean or the first token`,
  );
}

/** The longest text the model was trained on, in tokens (longer ones are cut), if the folder says. */
function maxTokensOf(folder: string): number | undefined {
  const length = readJson(join(folder, 'sentence_bert_config.json'))?.max_seq_length;
  return typeof length === 'number' && Number.isInteger(length) && length > 0 ? length : undefined;
}

async function load(folder: string): Promise<Model> {
  const pooling = poolingOf(folder);
  const maxTokens = maxTokensOf(folder);
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
    const name = basename(folder);
    const [tokenize, model] = await Promise.all([
      transformers.AutoTokenizer.from_pretrained(name),
      transformers.AutoModel.from_pretrained(name, { dtype: 'fp32' }),
    ]);
    return async (texts) => {
      const inputs = tokenize(texts, { padding: true, truncation: true, ...(maxTokens ? { max_length: maxTokens } : {}) });
      const tokens = (await model(inputs)).last_hidden_state; // batch × tokens × dimensions
      const pooled = pooling === 'cls' ? tokens.slice(null, 0) : transformers.mean_pooling(tokens, inputs.attention_mask);
      return pooled.normalize(2, -1).tolist() as number[][];
    };
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
      let loading = models.get(path);
      if (!loading) {
        loading = modelFolder(settings).then(load);
        models.set(path, loading);
        loading.catch(() => models.delete(path)); // try again next time: the folder or the network may be fixed
      }
      const model = await loading;
      // A batch is padded to its longest text, so texts are batched with others of like length.
      const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
      const out: Float32Array[] = new Array(texts.length);
      for (let i = 0; i < order.length; i += BATCH) {
        const batch = order.slice(i, i + BATCH);
        (await model(batch.map((k) => texts[k] || ' '))).forEach((row, j) => {
          if (dimensions !== undefined && row.length !== dimensions)
            throw new EmbeddingError(
              `the ONNX model in ${path} gives ${row.length} dimensions where the stored model has ${dimensions}; run paperboy embed --retrain`,
            );
          out[batch[j]!] = Float32Array.from(row, (x) => (Number.isFinite(x) ? x : 0));
        });
      }
      return out;
    },
  };
}
