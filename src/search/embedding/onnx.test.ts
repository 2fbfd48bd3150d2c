import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../config/config.ts';
import { importPaths } from '../../importer/import.ts';
import { openDatabase } from '../../storage/open.ts';
import { migrate } from '../../storage/migrate.ts';
import { tinyOnnxModel, TINY_DIMENSIONS } from '../../testing/onnx.ts';
import { search } from '../service.ts';
import { embedPapers } from './job.ts';
import { onnxEmbedder } from './onnx.ts';
import { modelInState } from './vectors.ts';

const papers = [
  { id: '2601.00001', title: 'KV cache eviction', summary: 'Evicting entries saves memory.' },
  { id: '2601.00002', title: 'Quantization of the KV cache', summary: 'Compression of keys and values.' },
  { id: '2601.00003', title: 'Image segmentation', summary: 'Labelling pixels for vision.' },
  { id: '2601.00004', title: 'Vision transformers for pixels', summary: 'Image models.' },
];

test('a local ONNX model from a folder embeds the papers and serves semantic search, offline; bad set-ups are clear', async () => {
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

  await assert.rejects(
    onnxEmbedder(join(folder, 'missing')).embed(['kv cache']),
    /cannot be loaded \(it needs config\.json, tokenizer\.json and onnx\/model\.onnx\)/,
  );
  await assert.rejects(onnxEmbedder(folder, 8).embed(['kv cache']), /gives 4 dimensions where the stored model has 8/);
  await db.close();
});
