import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { useFixtureServer } from '../testing/app.ts';
import { testBackends } from '../testing/backends.ts';
import { parseReply, summarizePapers, type SummarySettings } from './summaries.ts';

/** An OpenAI-compatible chat endpoint on loopback: answers in two lines, or fails while `failing`. */
class ChatEndpoint {
  server!: Server;
  requests: { authorization?: string; model: string; user: string }[] = [];
  failing = false;
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const parsed = JSON.parse(body) as { model: string; messages: { role: string; content: string }[] };
        const user = parsed.messages.find((m) => m.role === 'user')!.content;
        this.requests.push({ authorization: req.headers.authorization, model: parsed.model, user });
        if (this.failing || req.url !== '/v1/chat/completions') return res.writeHead(503).end('overloaded');
        const title = user.split('\n')[0]!;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            choices: [{ message: { role: 'assistant', content: `This paper studies ${title}.\nKeywords: Alpha, beta testing, "gamma"` } }],
            usage: { total_tokens: 400 },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }
}

test('a reply becomes a summary and keywords, whatever its small variations', () => {
  assert.deepEqual(parseReply('Summary: It works.\nKeywords: Alpha, be; "ce".'), { summary: 'It works.', keywords: ['alpha', 'be', 'ce'] });
  assert.deepEqual(parseReply('Just one line.'), { summary: 'Just one line.', keywords: [] });
  assert.equal(parseReply('\n  \n'), null);
});

for (const backend of testBackends()) {
  describe(`generated summaries on ${backend.name}`, { skip: backend.skip }, () => {
    const server = useFixtureServer(backend);
    const endpoint = new ChatEndpoint();
    let settings: SummarySettings;
    before(async () => {
      settings = {
        SUMMARY_URL: await endpoint.start(),
        SUMMARY_MODEL: 'test-model',
        SUMMARY_API_KEY: 'sk-test',
        SUMMARY_MAX_PAPERS: 3,
        SUMMARY_MAX_TOKENS: 100_000,
      };
    });
    after(() => endpoint.server.close());
    const summaries = () =>
      server.db.db
        .selectFrom('paper')
        .select(['arxiv_id', 'ai_summary', 'ai_keywords', 'ai_summary_by'])
        .where('ai_summary', 'is not', null)
        .execute();

    test('a dry run asks nothing; a run stops at SUMMARY_MAX_PAPERS, labels the model, keeps Hugging Face summaries', async () => {
      const before = await summaries();
      assert.ok(before.length > 0 && before.every((p) => p.ai_summary_by === 'Hugging Face'), 'the fixture has HF summaries');
      const dry = await summarizePapers(server.db, settings, { dryRun: true });
      assert.equal(endpoint.requests.length, 0);
      assert.equal(dry.stopped, 'papers');
      assert.ok(dry.tokens > 0 && dry.waiting > 3);

      const run = await summarizePapers(server.db, settings);
      assert.deepEqual([run.summarized, run.failed, run.tokens, run.stopped], [3, 0, 1200, 'papers']);
      assert.equal(endpoint.requests[0]!.authorization, 'Bearer sk-test');
      assert.equal(endpoint.requests[0]!.model, 'test-model');
      const made = (await summaries()).filter((p) => p.ai_summary_by === 'test-model');
      assert.equal(made.length, 3);
      assert.match(made[0]!.ai_summary!, /^This paper studies /);
      assert.deepEqual(JSON.parse(made[0]!.ai_keywords), ['alpha', 'beta testing', 'gamma']);
      for (const p of before) assert.ok((await summaries()).some((q) => q.arxiv_id === p.arxiv_id && q.ai_summary === p.ai_summary));

      const page = await server.app.inject({ url: `/papers/${made[0]!.arxiv_id}` });
      assert.match(page.body, /written by a language model \(test-model\) for this site/);
      assert.equal(
        run.waiting - 3,
        (await summarizePapers(server.db, settings, { dryRun: true })).waiting,
        'the next run starts after them',
      );
    });

    test('the token budget is never passed, and a failing endpoint ends the run after three tries', async () => {
      const run = await summarizePapers(server.db, { ...settings, SUMMARY_MAX_TOKENS: 1_000 });
      assert.equal(run.stopped, 'tokens');
      assert.ok(run.tokens <= 1_000, `${run.tokens} tokens`);
      endpoint.failing = true;
      const down = await summarizePapers(server.db, settings);
      assert.deepEqual([down.summarized, down.failed, down.stopped], [0, 3, 'failures']);
      assert.match(down.errors[0]!, /answered HTTP 503: overloaded/);
      endpoint.failing = false;
    });
  });
}
