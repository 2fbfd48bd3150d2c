import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { importPaths } from '../../importer/import.ts';
import { type Database } from '../../storage/db.ts';
import { openDatabase } from '../../storage/open.ts';
import { migrate } from '../../storage/migrate.ts';
import { corpusSample } from '../../testing/datasets.ts';
import { search } from '../service.ts';
import { embedPapers } from './job.ts';
import { openAiEmbedder } from './openai.ts';

// A local OpenAI-compatible endpoint: each word hashed into one of 1,024 dimensions.
let server: Server;
let url: string;
let reply: 'ok' | 'malformed' | 'error' = 'ok';
const hashed = (text: string) => {
  const v = new Array(1024).fill(0);
  for (const w of text.toLowerCase().match(/[a-z]+/g) ?? []) v[[...w].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1024, 7)] += 1;
  return v;
};
before(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (c) => (body += c));
    request.on('end', () => {
      if (reply === 'error') return response.writeHead(503).end('overloaded');
      const { input, model } = JSON.parse(body) as { input: string[]; model: string };
      assert.equal(model, 'tiny-embed');
      const data = input.map((t, index) => ({ index, embedding: reply === 'malformed' ? ['x'] : hashed(t) }));
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
after(() => server.close());

test('an OpenAI-compatible endpoint embeds the papers and serves semantic search; its failures are clear', async () => {
  const settings = { EMBEDDER: 'openai' as const, EMBEDDING_URL: url, EMBEDDING_MODEL: 'tiny-embed' };
  const db: Database = await openDatabase('sqlite::memory:');
  await migrate(db);
  await importPaths(db, [corpusSample(200)]);
  const s = await embedPapers(db, settings);
  assert.equal(s.embedded, 200);
  assert.equal(s.activated, true);
  assert.match(s.model, /tiny-embed/);
  // A paper's title finds the paper.
  const paper = await db.db.selectFrom('paper').select(['id', 'title']).orderBy('id').executeTakeFirstOrThrow();
  const r = await search(db, settings, { q: paper.title, mode: 'semantic' }, 5, 0);
  assert.equal(r.mode, 'semantic');
  assert.equal(r.hits[0]?.paper.id, paper.id);
  // The built-in setting does not use the external model's vectors.
  assert.equal((await search(db, { EMBEDDER: 'builtin' }, { q: 'language models' }, 5, 0)).mode, 'keyword');

  reply = 'malformed';
  await assert.rejects(openAiEmbedder(settings).embed(['a']), /malformed embedding/);
  reply = 'error';
  await assert.rejects(openAiEmbedder(settings).embed(['a']), /HTTP 503: overloaded/);
  await db.close();
});
