import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Database } from '../storage/db.ts';
import { countListed, getPaper } from '../storage/papers.ts';
import { testBackends } from '../testing/backends.ts';
import { datasetPath } from '../testing/datasets.ts';
import { importPaths, type Rejection } from './import.ts';
import { makeRecord } from './record.ts';
import { upsertPapers } from '../storage/upsert.ts';

// A record in the Kaggle arxiv-metadata-oai-snapshot schema, as that snapshot has it.
const snapshotRecord = {
  id: '0704.0001',
  submitter: 'Pavel Nadolsky',
  authors: "C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan",
  title: 'Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies',
  comments: '37 pages, 15 figures; published version',
  'journal-ref': 'Phys.Rev.D76:013009,2007',
  doi: '10.1103/PhysRevD.76.013009',
  'report-no': 'ANL-HEP-PR-07-12',
  categories: 'hep-ph',
  license: null,
  abstract:
    '  A fully differential calculation in perturbative quantum chromodynamics is\npresented for the production of massive photon pairs at hadron colliders.\n',
  versions: [
    { version: 'v1', created: 'Mon, 2 Apr 2007 19:18:42 GMT' },
    { version: 'v2', created: 'Tue, 24 Jul 2007 20:10:27 GMT' },
  ],
  update_date: '2008-11-13',
  authors_parsed: [
    ['Balázs', 'C.', ''],
    ['Berger', 'E. L.', ''],
    ['Nadolsky', 'P. M.', ''],
    ['Yuan', 'C. -P.', ''],
  ],
};

const oldStyleRecord = {
  ...snapshotRecord,
  id: 'hep-th/9901001',
  title: 'An old-style paper',
  categories: 'hep-th math.GT',
  versions: [{ version: 'v1', created: 'Fri, 1 Jan 1999 10:00:00 GMT' }],
  update_date: '1999-01-04',
};

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'paperboy-import-'));
}

for (const backend of testBackends()) {
  describe(`import on ${backend.name}`, { skip: backend.skip }, () => {
    let db: Database;
    beforeEach(async () => {
      db = await backend.fresh();
    });
    after(() => backend.dispose());

    test('arXiv snapshot JSONL: fields, versions, old-style ids, and the announcement day as list day', async () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'snapshot.jsonl'), [snapshotRecord, oldStyleRecord].map((r) => JSON.stringify(r)).join('\n'));
      const summary = await importPaths(db, [join(dir, 'snapshot.jsonl')]);
      assert.deepEqual(summary, { files: 1, new: 2, updated: 0, unchanged: 0, rejected: 0 });
      const paper = await getPaper(db, '0704.0001');
      assert.ok(paper);
      assert.equal(paper.version, 2);
      assert.equal(paper.title, 'Calculation of prompt diphoton production cross sections at Tevatron and LHC energies');
      assert.deepEqual(paper.authors, ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C. -P. Yuan']);
      assert.equal(paper.doi, '10.1103/PhysRevD.76.013009');
      assert.equal(paper.journalRef, 'Phys.Rev.D76:013009,2007');
      assert.equal(paper.publishedAt, '2007-04-02T19:18:42.000Z');
      assert.equal(paper.arxivUpdatedOn, '2008-11-13');
      assert.equal(paper.primaryCategory, 'hep-ph');
      assert.match(paper.abstract, /^A fully differential calculation in perturbative quantum chromodynamics is\npresented/);
      // Submitted Monday 15:18 in New York, after the 14:00 cutoff: announced Tuesday evening.
      assert.equal(paper.listing?.day, '2007-04-04');
      assert.equal(paper.listing?.source, 'arxiv');
      const old = await getPaper(db, 'hep-th/9901001');
      assert.deepEqual(old?.categories, ['hep-th', 'math.GT']);
    });

    test('daily listing JSONL, gzip or plain, takes the list day from the file name', async () => {
      const dir = tempDir();
      copyFileSync(datasetPath('arxiv-daily-cs/raw-sample/2025-03-18.jsonl'), join(dir, '2025-03-18.jsonl'));
      writeFileSync(join(dir, '2026-07-01.jsonl.gz'), gzipSync(readFileSync(datasetPath('arxiv-daily-cs/raw-sample/2026-07-01.jsonl'))));
      const summary = await importPaths(db, [dir]);
      assert.equal(summary.files, 2);
      assert.equal(summary.rejected, 0);
      assert.equal(summary.new + summary.unchanged, 465 + 371);
      const paper = await getPaper(db, '2503.11731');
      assert.equal(paper?.listing?.day, '2025-03-18');
      assert.equal(paper?.authors.length, 16);
      assert.deepEqual(paper?.categories, ['cs.CV', 'cs.RO']);
      const { all: total } = await countListed(db, { from: '2026-07-01', to: '2026-07-01' });
      assert.equal(total, summary.new - (await countListed(db, { from: '2025-03-18', to: '2025-03-18' })).all);
    });

    test('Hugging Face responses of all three schema generations, with upvotes and links', async () => {
      const summary = await importPaths(db, [datasetPath('hf-daily-papers/raw-sample')]);
      assert.deepEqual(summary, { files: 3, new: 13 + 9 + 17, updated: 0, unchanged: 0, rejected: 0 });
      const old = await getPaper(db, '2405.15738'); // 2024 generation: no submittedOnDailyAt
      assert.equal(old?.listing?.day, '2024-05-27');
      assert.equal(old?.listing?.upvotes, 32);
      assert.equal(old?.title, 'ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models');
      const mid = await getPaper(db, '2506.11924'); // 2025 generation
      assert.equal(mid?.githubRepo, 'https://github.com/cvlab-kaist/MoAI');
      assert.equal(mid?.projectPage, 'https://cvlab-kaist.github.io/MoAI/');
      assert.equal(mid?.publishedAt, '2025-06-13T16:19:00.000Z');
      assert.match(mid?.listing?.submittedBy ?? '', /^user-[0-9a-f]{8}$/); // pseudonyms stay pseudonyms
      const recent = await getPaper(db, '2608.19880'); // 2026 generation
      assert.equal(recent?.listing?.day, '2026-08-21');
      assert.equal(typeof recent?.githubStars, 'number');
    });

    test('one batch bigger than a statement can carry (an RSS day of 1,600 papers) is stored whole', async () => {
      const records = Array.from({ length: 1_600 }, (_, i) =>
        makeRecord({
          id: `2601.${String(10_000 + i)}`,
          title: `Paper ${i}`,
          abstract: 'An abstract.',
          authors: ['A. Author'],
          categories: ['cs.LG'],
          listing: {
            day: '2026-01-05',
            estimated: false,
            source: 'arxiv',
            submittedBy: null,
            listedAt: '2026-01-05T00:00:00Z',
            upvotes: 0,
          },
        }),
      );
      const outcomes = await upsertPapers(db, records);
      assert.equal(outcomes.filter((o) => o === 'new').length, 1_600);
      const { all: total } = await countListed(db, { from: '2026-01-05', to: '2026-01-05' });
      assert.equal(total, 1_600);
    });

    test('importing the same files twice changes nothing', async () => {
      const paths = [datasetPath('hf-daily-papers/raw-sample'), datasetPath('arxiv-daily-cs/raw-sample/2026-07-01.jsonl')];
      const first = await importPaths(db, paths);
      const before = await getPaper(db, '2608.19880');
      const second = await importPaths(db, paths);
      assert.equal(second.new, 0);
      assert.equal(second.updated, 0);
      assert.equal(second.unchanged, first.new + first.updated + first.unchanged);
      assert.deepEqual(await getPaper(db, '2608.19880'), before);
    });

    test('a newer version updates the paper; an older one does not take it back', async () => {
      const dir = tempDir();
      const v1 = { ...snapshotRecord, title: 'First title', versions: snapshotRecord.versions.slice(0, 1) };
      writeFileSync(join(dir, 'v1.jsonl'), JSON.stringify(v1));
      writeFileSync(join(dir, 'v2.jsonl'), JSON.stringify(snapshotRecord));
      await importPaths(db, [join(dir, 'v1.jsonl')]);
      assert.equal((await getPaper(db, '0704.0001'))?.title, 'First title');
      const update = await importPaths(db, [join(dir, 'v2.jsonl')]);
      assert.equal(update.updated, 1);
      const paper = await getPaper(db, '0704.0001');
      assert.equal(paper?.version, 2);
      assert.match(paper?.title ?? '', /^Calculation of prompt/);
      assert.equal(paper?.publishedAt, '2007-04-02T19:18:42.000Z'); // the v1 date stays
      const again = await importPaths(db, [join(dir, 'v1.jsonl')]);
      assert.equal(again.unchanged, 1);
      assert.match((await getPaper(db, '0704.0001'))?.title ?? '', /^Calculation of prompt/);
    });

    test('sources merge: the earliest list day wins and upvotes come from Hugging Face', async () => {
      const dir = tempDir();
      const hfItems = JSON.parse(readFileSync(datasetPath('hf-daily-papers/raw-sample/2026-08-21.json'), 'utf8'));
      const item = hfItems[0];
      writeFileSync(
        join(dir, 'listing.jsonl'),
        JSON.stringify({
          id: item.paper.id,
          title: item.paper.title,
          authors: ['A. Author'],
          categories: ['cs.AI'],
          summary: item.paper.summary,
          abs: '',
          listing_date: '2026-08-20',
        }),
      );
      writeFileSync(join(dir, '2026-08-21.json'), JSON.stringify([item]));
      const summary = await importPaths(db, [join(dir, 'listing.jsonl'), join(dir, '2026-08-21.json')]);
      assert.deepEqual([summary.new, summary.updated], [1, 1]);
      const paper = await getPaper(db, item.paper.id);
      assert.equal(paper?.listing?.day, '2026-08-20');
      assert.equal(paper?.listing?.upvotes, item.paper.upvotes);
      assert.deepEqual(paper?.categories, ['cs.AI']);
      assert.equal(paper?.githubRepo, item.paper.githubRepo);
      // What only Hugging Face says is kept, and an arXiv record read afterwards does not erase it.
      assert.equal(paper?.aiSummary, item.paper.ai_summary);
      assert.deepEqual(paper?.aiKeywords, item.paper.ai_keywords);
      assert.equal(paper?.organization, 'Google');
      await importPaths(db, [join(dir, 'listing.jsonl')]);
      const again = await getPaper(db, item.paper.id);
      assert.equal(again?.aiSummary, item.paper.ai_summary);
      assert.deepEqual(again?.aiKeywords, item.paper.ai_keywords);
      assert.equal(again?.organization, 'Google');
    });

    test('a day seen on a list beats a day computed from the v1 time, even a later one', async () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'snapshot.jsonl'), JSON.stringify(snapshotRecord)); // computed: 2007-04-04
      const seen = {
        id: '0704.0001',
        title: 'x',
        authors: ['C. Balázs'],
        categories: ['hep-ph'],
        summary: 'y',
        abs: '',
        listing_date: '2007-04-05',
      };
      writeFileSync(join(dir, 'listing.jsonl'), JSON.stringify(seen));
      await importPaths(db, [join(dir, 'snapshot.jsonl')]);
      assert.deepEqual(
        [(await getPaper(db, '0704.0001'))?.listing?.day, (await getPaper(db, '0704.0001'))?.listing?.dayEstimated],
        ['2007-04-04', true],
      );
      await importPaths(db, [join(dir, 'listing.jsonl')]);
      const listing = (await getPaper(db, '0704.0001'))?.listing;
      assert.deepEqual([listing?.day, listing?.dayEstimated], ['2007-04-05', false]);
      assert.equal((await importPaths(db, [join(dir, 'snapshot.jsonl')])).unchanged, 1); // and stays
    });

    test('a change to the listing alone (new upvotes) marks the paper updated', async () => {
      const dir = tempDir();
      const [item] = JSON.parse(readFileSync(datasetPath('hf-daily-papers/raw-sample/2026-08-21.json'), 'utf8'));
      writeFileSync(join(dir, '2026-08-21.json'), JSON.stringify([item]));
      await importPaths(db, [dir]);
      const before = await getPaper(db, item.paper.id);
      await new Promise((r) => setTimeout(r, 5));
      writeFileSync(
        join(dir, '2026-08-21.json'),
        JSON.stringify([{ ...item, paper: { ...item.paper, upvotes: item.paper.upvotes + 10 } }]),
      );
      assert.equal((await importPaths(db, [dir])).updated, 1);
      const after = await getPaper(db, item.paper.id);
      assert.equal(after?.listing?.upvotes, item.paper.upvotes + 10);
      assert.ok(after!.updatedAt > before!.updatedAt);
      assert.equal(after!.createdAt, before!.createdAt);
    });

    test('malformed lines are reported with file and line, and everything else imports', async () => {
      const dir = tempDir();
      const good = readFileSync(datasetPath('arxiv-daily-cs/raw-sample/2026-07-01.jsonl'), 'utf8').split('\n').slice(0, 3);
      const lines = [
        '{"id": "2607.00001", "title": "broken',
        good[0],
        JSON.stringify({ ...JSON.parse(good[1]!), id: 'not-an-id' }),
        JSON.stringify({ ...JSON.parse(good[1]!), title: '' }),
        JSON.stringify({ ...JSON.parse(good[1]!), title: 'x'.repeat(5000) }),
        JSON.stringify({ ...JSON.parse(good[1]!), listing_date: '2025-02-30' }),
        JSON.stringify({ something: 'else' }),
        '[1, 2, 3]',
        good[2],
        JSON.stringify({ ...JSON.parse(good[1]!), title: 'Nul\u0000 and <script>alert(1)</script> survive as text' }),
      ];
      writeFileSync(join(dir, 'mixed.jsonl'), lines.join('\n'));
      const rejections: Rejection[] = [];
      const summary = await importPaths(db, [join(dir, 'mixed.jsonl')], { onReject: (r) => rejections.push(r) });
      assert.deepEqual(summary, { files: 1, new: 3, updated: 0, unchanged: 0, rejected: 7 });
      assert.deepEqual(
        rejections.map((r) => r.line),
        [1, 3, 4, 5, 6, 7, 8],
      );
      assert.ok(rejections.every((r) => r.file.endsWith('mixed.jsonl')));
      assert.match(rejections[0]!.message, /not valid JSON/);
      assert.match(rejections[1]!.message, /id: not an arXiv identifier/);
      assert.match(rejections[2]!.message, /title: missing/);
      assert.match(rejections[3]!.message, /title: longer than/);
      assert.match(rejections[4]!.message, /listing_date: not a date/);
      assert.match(rejections[5]!.message, /known format/);
      const hostile = await getPaper(db, JSON.parse(good[1]!).id);
      assert.equal(hostile?.title, 'Nul and <script>alert(1)</script> survive as text');
    });

    test('a v1 date in the year 801 is one rejection with its line, and the rest of the file goes in', async () => {
      const dir = tempDir();
      const old = { ...snapshotRecord, id: '0704.0002', versions: [{ version: 'v1', created: 'Mon, 2 Apr 0801 19:18:42 GMT' }] };
      const lines = [snapshotRecord, old, { ...snapshotRecord, id: '0704.0003' }].map((r) => JSON.stringify(r));
      writeFileSync(join(dir, 'dump.jsonl'), lines.join('\n'));
      const rejections: Rejection[] = [];
      const summary = await importPaths(db, [join(dir, 'dump.jsonl')], { batchSize: 1, onReject: (r) => rejections.push(r) });
      assert.deepEqual([summary.new, summary.rejected], [2, 1]);
      assert.equal(rejections[0]!.line, 2);
      assert.match(rejections[0]!.message, /outside the years 1900 to 2199/);
    });

    test('a damaged .gz keeps what was read before the damage, names the file, and the next file still goes in', async () => {
      const dir = tempDir();
      const day = readFileSync(datasetPath('arxiv-daily-cs/raw-sample/2026-07-01.jsonl'), 'utf8');
      const whole = gzipSync(day);
      writeFileSync(join(dir, '2026-07-01.jsonl.gz'), whole.subarray(0, Math.floor(whole.length * 0.6)));
      writeFileSync(join(dir, '2026-07-02.jsonl'), day.split('\n').slice(-3).join('\n'));
      const rejections: Rejection[] = [];
      const summary = await importPaths(db, [dir], { batchSize: 50, onReject: (r) => rejections.push(r) });
      assert.equal(summary.files, 2);
      assert.ok(summary.new > 50, `${summary.new} papers read before the damage went in`);
      const damaged = rejections.find((r) => r.file.endsWith('2026-07-01.jsonl.gz'));
      assert.match(damaged!.message, /the file is damaged after line \d+/);
      assert.ok(damaged!.line > 50);
    });

    test('a byte-order mark is not part of the first record; a broken first line is one rejection, not a whole-file read', async () => {
      const dir = tempDir();
      const good = readFileSync(datasetPath('arxiv-daily-cs/raw-sample/2026-07-01.jsonl'), 'utf8').split('\n').slice(0, 3);
      writeFileSync(join(dir, 'bom.jsonl'), `\uFEFF${good.join('\n')}`);
      writeFileSync(join(dir, 'broken.jsonl'), ['{"id": "2607.0', ...good].join('\n'));
      const rejections: Rejection[] = [];
      const summary = await importPaths(db, [join(dir, 'bom.jsonl'), join(dir, 'broken.jsonl')], { onReject: (r) => rejections.push(r) });
      assert.deepEqual([summary.new, summary.unchanged, summary.rejected], [3, 3, 1]);
      assert.deepEqual(
        rejections.map((r) => [r.file.endsWith('broken.jsonl'), r.line]),
        [[true, 1]],
      );
      // A big file with a broken first line is still read as it streams: progress moves before its end.
      const day = readFileSync(datasetPath('arxiv-daily-cs/raw-sample/2026-07-01.jsonl'), 'utf8');
      writeFileSync(join(dir, 'big.jsonl'), `{"id": "2607.0\n${day}`);
      const seen: number[] = [];
      await importPaths(db, [join(dir, 'big.jsonl')], { onProgress: (done) => seen.push(done) });
      assert.ok(seen[0]! < seen.at(-1)!, `the first record came after ${seen[0]} of ${seen.at(-1)} bytes`);
    });

    test('a broken JSON document is one clear rejection', async () => {
      const dir = tempDir();
      writeFileSync(join(dir, '2026-01-01.json'), '[\n  {"paper": {"id": "2601.00001"\n');
      const rejections: Rejection[] = [];
      const summary = await importPaths(db, [dir], { onReject: (r) => rejections.push(r) });
      assert.equal(summary.new, 0);
      assert.ok(summary.rejected >= 1);
      assert.match(rejections[0]!.message, /not valid JSON/);
    });
  });
}
