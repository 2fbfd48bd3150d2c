// Pretrained ONNX models by Hugging Face id (EMBEDDER=onnx,
// EMBEDDING_MODEL=sentence-transformers/all-MiniLM-L6-v2): fetched once into MODEL_CACHE_DIR from
// HF_ENDPOINT's hub layout (`/{id}/resolve/main/{file}`), each file checked against the hash the
// hub states for it, then used offline. The hub states a large (LFS) file's SHA-256 in
// `X-Linked-Etag` on its redirect, and a small file's git blob SHA-1 in its `ETag`; a file that
// does not match is deleted and the download fails, naming it. A folder is complete once its
// marker is written, so an interrupted download starts again at the next use.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isModelId } from '../../config/config.ts';
import { EmbeddingError } from './embedder.ts';

export const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';
export const DEFAULT_MODEL_CACHE_DIR = './data/models';

/** What transformers.js reads from a model folder; `optional` files may be missing from a repository. */
const FILES = [
  { path: 'config.json' },
  { path: 'tokenizer.json' },
  { path: 'tokenizer_config.json', optional: true },
  { path: 'onnx/model.onnx' },
  // sentence-transformers' settings, which onnx.ts follows: the pooling (bge models take the first
  // token) and the longest text the model was trained on
  { path: '1_Pooling/config.json', optional: true },
  { path: 'sentence_bert_config.json', optional: true },
];
const MARKER = '.paperboy-complete';
const TIMEOUT_MS = 10 * 60_000;

export interface HubSettings {
  EMBEDDING_MODEL?: string;
  HF_ENDPOINT?: string;
  MODEL_CACHE_DIR?: string;
}

/** Where a model id is cached. */
export function cacheFolder(id: string, cacheDir = DEFAULT_MODEL_CACHE_DIR): string {
  return resolve(cacheDir, id); // owner/name: transformers.js takes names with `--` for its own cache's
}

/** The model's folder: EMBEDDING_MODEL itself, or the cached copy of a model id, downloaded the first time. */
export async function modelFolder(settings: HubSettings): Promise<string> {
  const model = settings.EMBEDDING_MODEL!;
  if (!isModelId(model)) return resolve(model);
  const folder = cacheFolder(model, settings.MODEL_CACHE_DIR);
  if (existsSync(join(folder, MARKER))) return folder;
  const endpoint = (settings.HF_ENDPOINT ?? DEFAULT_HF_ENDPOINT).replace(/\/+$/, '');
  for (const file of FILES)
    await download(`${endpoint}/${model}/resolve/main/${file.path}`, join(folder, file.path), file.optional ?? false);
  writeFileSync(join(folder, MARKER), `${new Date().toISOString()} ${endpoint}/${model}\n`);
  return folder;
}

/** The hash the hub states for a file: from a HEAD request that does not follow the redirect to the file's storage. */
async function statedHash(url: string): Promise<{ kind: 'sha256' | 'git-sha1'; hex: string } | null> {
  const head = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(60_000) });
  if (head.status === 404) return null;
  if (head.status >= 400) throw new EmbeddingError(`the model hub answered HTTP ${head.status} for ${url}`);
  const linked = head.headers.get('x-linked-etag');
  const etag = (linked ?? head.headers.get('etag') ?? '').replace(/^W\//, '').replace(/"/g, '');
  if (/^[0-9a-f]{64}$/.test(etag)) return { kind: 'sha256', hex: etag };
  if (/^[0-9a-f]{40}$/.test(etag)) return { kind: 'git-sha1', hex: etag };
  throw new EmbeddingError(`the model hub states no hash for ${url}, so the download cannot be checked`);
}

async function download(url: string, target: string, optional: boolean): Promise<void> {
  let stated;
  try {
    stated = await statedHash(url);
  } catch (err) {
    if (err instanceof EmbeddingError) throw err;
    throw new EmbeddingError(`the model hub cannot be reached at ${url}: ${(err as Error).message} (set HF_ENDPOINT for a mirror)`);
  }
  if (!stated) {
    if (optional) return;
    throw new EmbeddingError(
      `the model has no ${url.split('/resolve/main/')[1]} at ${url}: choose a model with an ONNX export (onnx/model.onnx)`,
    );
  }
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) }).catch((err: Error) => {
    throw new EmbeddingError(`downloading ${url} failed: ${err.message}`);
  });
  if (!response.ok || !response.body) throw new EmbeddingError(`downloading ${url} failed: HTTP ${response.status}`);
  const sha256 = createHash('sha256');
  const chunks: Buffer[] = []; // small files are hashed as git blobs, which need their length first
  try {
    await pipeline(
      Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
      async function* (source) {
        for await (const chunk of source as AsyncIterable<Buffer>) {
          sha256.update(chunk);
          if (stated.kind === 'git-sha1') chunks.push(chunk);
          yield chunk;
        }
      },
      createWriteStream(partial),
    );
  } catch (err) {
    rmSync(partial, { force: true });
    throw new EmbeddingError(`downloading ${url} failed: ${(err as Error).message}`);
  }
  const found =
    stated.kind === 'sha256'
      ? sha256.digest('hex')
      : createHash('sha1')
          .update(`blob ${statSync(partial).size}\0`)
          .update(Buffer.concat(chunks))
          .digest('hex');
  if (found !== stated.hex) {
    rmSync(partial, { force: true });
    throw new EmbeddingError(`the download of ${url} is damaged (its ${stated.kind} is ${found}, the hub states ${stated.hex}); try again`);
  }
  renameSync(partial, target);
}
