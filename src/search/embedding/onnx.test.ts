import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../config/config.ts';
import { importPaths } from '../../importer/import.ts';
import { openDatabase } from '../../storage/open.ts';
import { migrate } from '../../storage/migrate.ts';
import { onnxRuntimeMissing, tinyOnnxModel, TINY_DIMENSIONS } from '../../testing/onnx.ts';
import { search } from '../service.ts';
import { embedPapers } from './job.ts';
import { cacheFolder, modelFolder } from './hub.ts';
import { onnxEmbedder } from './onnx.ts';
import { modelInState } from './vectors.ts';

const unit = (v: number[]) => v.map((x) => (x / Math.hypot(...v)).toFixed(4));
const rounded = (v: Float32Array | undefined) => [...v!].map((x) => x.toFixed(4));

const papers = [
  { id: '2601.00001', title: 'KV cache eviction', summary: 'Evicting entries saves memory.' },
  { id: '2601.00002', title: 'Quantization of the KV cache', summary: 'Compression of keys and values.' },
  { id: '2601.00003', title: 'Image segmentation', summary: 'Labelling pixels for vision.' },
  { id: '2601.00004', title: 'Vision transformers for pixels', summary: 'Image models.' },
];

test(
  'a local ONNX model from a folder embeds the papers and serves semantic search, offline; bad set-ups are clear',
  { skip: onnxRuntimeMissing() },
  async () => {
    const folder = tinyOnnxModel();
    const settings = { EMBEDDER: 'onnx' as const, EMBEDDING_MODEL: folder };
    assert.throws(() => loadConfig({ EMBEDDER: 'onnx' }), /EMBEDDER: onnx needs EMBEDDING_MODEL/);
    assert.throws(() => loadConfig({ EMBEDDER: 'onnx', EMBEDDING_MODEL: tmpdir() }), /onnx\/model\.onnx/);
    assert.equal(loadConfig({ EMBEDDER: 'onnx', EMBEDDING_MODEL: folder }).EMBEDDER, 'onnx');

    const db = await openDatabase('sqlite::memory:');
    await migrate(db);
    const file = join(mkdtempSync(join(tmpdir(), 'paperboy-onnx-papers-')), 'papers.jsonl');
    writeFileSync(
      file,
      papers.map((p) => JSON.stringify({ ...p, authors: ['A. Author'], categories: ['cs.LG'], abs: '', comment: null })).join('\n'),
    );
    await importPaths(db, [file]);

    const summary = await embedPapers(db, settings);
    assert.equal(summary.embedded, 4);
    assert.equal(summary.activated, true);
    const model = (await modelInState(db, 'active'))!;
    assert.equal(model.provider, 'onnx');
    assert.equal(model.dimensions, TINY_DIMENSIONS);

    const top = async (q: string) => (await search(db, settings, { q, mode: 'semantic' }, 2, 0)).hits.map((h) => h.paper.arxivId).sort();
    assert.deepEqual(await top('memory'), ['2601.00001', '2601.00002'], 'the quantization paper never says memory: found by meaning');
    assert.deepEqual(await top('segmentation'), ['2601.00003', '2601.00004']);
    assert.equal(
      (await search(db, { EMBEDDER: 'builtin' }, { q: 'memory' }, 5, 0)).mode,
      'keyword',
      'another provider does not read these vectors',
    );

    // Texts are batched by length, and each vector still comes back in its text's place.
    const texts = Array.from({ length: 20 }, (_, i) => (i % 3 ? 'kv' : 'vision vision vision vision')); // over several batches
    const vectors = await onnxEmbedder({ EMBEDDING_MODEL: folder }).embed(texts);
    assert.deepEqual(
      vectors.map(rounded),
      texts.map((t) => (t === 'kv' ? unit([1, 0, 0, 0.1]) : unit([0, 0, 0.9, 0.1]))),
    );

    // Pooling as the model's sentence-transformers configuration says: the first token for bge models.
    const [first] = await onnxEmbedder({
      EMBEDDING_MODEL: tinyOnnxModel({ pooling: { pooling_mode_cls_token: true, pooling_mode_mean_tokens: false } }),
    }).embed(['kv image']);
    assert.deepEqual(rounded(first), unit([1, 0, 0, 0.1]), "the first token's vector, kv's");
    const [mean] = await onnxEmbedder({ EMBEDDING_MODEL: tinyOnnxModel({ pooling: { pooling_mode_mean_tokens: true } }) }).embed([
      'kv image',
    ]);
    assert.deepEqual(rounded(mean), unit([0.5, 0, 0.5, 0.1]), 'the mean of kv and image');
    // Texts cut to the longest the model was trained on, as sentence_bert_config.json says.
    const [cut, whole] = await Promise.all(
      [tinyOnnxModel({ maxTokens: 2 }), folder].map(
        async (model) => (await onnxEmbedder({ EMBEDDING_MODEL: model }).embed(['kv image vision']))[0],
      ),
    );
    assert.deepEqual(rounded(cut), unit([0.5, 0, 0.5, 0.1]), 'kv and image, vision cut off');
    assert.deepEqual(rounded(whole), unit([1 / 3, 0, 1.9 / 3, 0.1]));
    await assert.rejects(
      onnxEmbedder({ EMBEDDING_MODEL: tinyOnnxModel({ pooling: { pooling_mode_max_tokens: true } }) }).embed(['kv']),
      /pools its token vectors by pooling_mode_max_tokens .*pooled by the mean or the first token/,
    );

    await assert.rejects(
      onnxEmbedder({ EMBEDDING_MODEL: join(folder, 'missing') }).embed(['kv cache']),
      /cannot be loaded \(it needs config\.json, tokenizer\.json and onnx\/model\.onnx\)/,
    );
    await assert.rejects(
      onnxEmbedder({ EMBEDDING_MODEL: folder }, 8).embed(['kv cache']),
      /gives 4 dimensions where the stored model has 8/,
    );
    await db.close();
  },
);

/**
 * A local server in the hub's layout serving the tiny model as `test/tiny-embedder`: small files with
 * their git blob SHA-1 as ETag, the ONNX file behind a redirect stating its SHA-256 (as LFS files
 * are). `damaged` serves the ONNX file cut short; `requests` counts what was asked.
 */
async function hub(folder: string) {
  const state = { damaged: false, requests: 0 };
  const file = (path: string) => readFileSync(join(folder, path));
  const server = createServer((request, response) => {
    state.requests++;
    const url = new URL(request.url!, 'http://hub');
    const lfs = url.pathname.match(/^\/lfs\/([0-9a-f]{64})$/);
    if (lfs) {
      const bytes = file('onnx/model.onnx');
      return response.end(state.damaged ? bytes.subarray(0, bytes.length - 10) : bytes);
    }
    const path = url.pathname.match(/^\/test\/tiny-embedder\/resolve\/main\/(.+)$/)?.[1];
    if (!path || !existsSync(join(folder, path))) return response.writeHead(404).end();
    const bytes = file(path);
    if (path === 'onnx/model.onnx') {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      return response.writeHead(302, { location: `/lfs/${sha256}`, 'x-linked-etag': `"${sha256}"`, 'x-linked-size': bytes.length }).end();
    }
    const sha1 = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    response.writeHead(200, { etag: `"${sha1}"`, 'content-length': bytes.length });
    response.end(request.method === 'HEAD' ? undefined : bytes);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return { state, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

test(
  'a model id is downloaded once from the hub, checked, and used offline; a damaged download is refused and retried',
  { skip: onnxRuntimeMissing() },
  async () => {
    const local = await hub(tinyOnnxModel({ pooling: { pooling_mode_cls_token: true }, maxTokens: 512 })); // as bge models are
    const cache = mkdtempSync(join(tmpdir(), 'paperboy-models-'));
    try {
      const settings = { EMBEDDER: 'onnx' as const, EMBEDDING_MODEL: 'test/tiny-embedder', HF_ENDPOINT: local.url, MODEL_CACHE_DIR: cache };
      assert.equal(loadConfig({ EMBEDDER: 'onnx', EMBEDDING_MODEL: 'test/tiny-embedder' }).EMBEDDING_MODEL, 'test/tiny-embedder');

      local.state.damaged = true;
      await assert.rejects(onnxEmbedder(settings).embed(['kv cache']), /download of .*onnx\/model\.onnx is damaged/);
      assert.equal(existsSync(join(cacheFolder('test/tiny-embedder', cache), 'onnx', 'model.onnx')), false, 'nothing damaged is kept');

      local.state.damaged = false;
      const [vector] = await onnxEmbedder(settings, TINY_DIMENSIONS).embed(['kv image']);
      assert.deepEqual(rounded(vector), unit([1, 0, 0, 0.1]), 'pooled by the first token, as the downloaded 1_Pooling says');
      assert.ok(
        existsSync(join(cacheFolder('test/tiny-embedder', cache), 'sentence_bert_config.json')),
        'the length it was trained on comes too',
      );
      const asked = local.state.requests;
      local.close(); // offline from now on: the cached copy is used
      assert.equal(await modelFolder(settings), cacheFolder('test/tiny-embedder', cache));
      assert.equal(local.state.requests, asked);

      await assert.rejects(
        onnxEmbedder({ ...settings, EMBEDDING_MODEL: 'test/unknown-model', HF_ENDPOINT: 'http://127.0.0.1:9' }).embed(['x']),
        /model hub cannot be reached at http:\/\/127\.0\.0\.1:9\/test\/unknown-model/,
      );
    } finally {
      local.close();
      rmSync(cache, { recursive: true, force: true });
    }
  },
);
