import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { datasetPath } from '../testing/datasets.ts';
import { ArxivApiError, parseApiFeed } from './arxiv-api.ts';
import { parseHfDay } from './huggingface.ts';
import { OaiError, parseOaiPage, setSpec } from './oai.ts';
import { ArxivRssError, parseRss } from './rss.ts';
import { NS, childText, parseXml, XmlError } from './xml.ts';

const read = (path: string) => readFileSync(datasetPath(path), 'utf8');
const NY = 'America/New_York';

test('XML is read by namespace URI, whatever the prefix', () => {
  const a = parseXml(
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:os="http://a9.com/-/spec/opensearch/1.1/"><os:totalResults>7</os:totalResults></feed>',
  );
  const b = parseXml(
    '<a:feed xmlns:a="http://www.w3.org/2005/Atom"><totalResults xmlns="http://a9.com/-/spec/opensearch/1.1/">7</totalResults></a:feed>',
  );
  for (const doc of [a, b]) {
    assert.equal(doc.ns, NS.atom);
    assert.equal(childText(doc, NS.opensearch, 'totalResults'), '7');
  }
});

test('malformed XML and DTDs are clear errors', () => {
  assert.throws(
    () => parseXml('<rss><channel></rss>'),
    (e: Error) => e instanceof XmlError && /malformed XML at line 1/.test(e.message),
  );
  const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>';
  assert.throws(() => parseXml(bomb), /DOCTYPE are not accepted/);
  assert.throws(() => parseXml(''), XmlError);
});

test('query API, 2016 dialect: the same fields as the 2026 one', () => {
  const feed = parseApiFeed(read('arxiv-api-atom/xml-2016/id_list=1111.2011v2.xml'));
  assert.equal(feed.total, 1);
  const [paper] = feed.records;
  assert.equal(paper!.arxivId, '1111.2011');
  assert.equal(paper!.version, 2);
  assert.equal(paper!.title, 'Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit');
  assert.deepEqual(paper!.categories, ['cond-mat.str-el', 'cond-mat.stat-mech']);
  assert.equal(paper!.publishedAt, '2011-11-08T18:48:36.000Z');
  assert.equal(paper!.arxivUpdatedOn, '2012-04-02');
  assert.equal(paper!.authors.length, 3);
  assert.ok(paper!.journalRef);
  assert.ok(paper!.doi);
  assert.ok(paper!.comment);
  assert.deepEqual([paper!.listing?.day, paper!.listing?.estimated], ['2011-11-09', true]);
});

test('query API, 2026 dialect: old-style and versioned ids, zero results, the HTTP 400 error entry', () => {
  const old = parseApiFeed(read('arxiv-api-atom/recorded-2026-bodies/id_astro-ph_0601001_s0_m100_3150dca9dc76.xml'));
  assert.equal(old.records[0]!.arxivId, 'astro-ph/0601001');
  const versioned = parseApiFeed(read('arxiv-api-atom/recorded-2026-bodies/id_quant-ph_0201082v1_s0_m100_86989fe779ef.xml'));
  assert.deepEqual([versioned.records[0]!.arxivId, versioned.records[0]!.version], ['quant-ph/0201082', 1]);
  assert.deepEqual(versioned.records[0]!.categories, ['quant-ph', 'cs.PL']);
  const none = parseApiFeed(read('arxiv-api-atom/recorded-2026-bodies/id_0000.0000_s0_m100_8b51d9633a68.xml'));
  assert.deepEqual([none.total, none.records.length], [0, 0]);
  assert.throws(
    () => parseApiFeed(read('arxiv-api-atom/recorded-2026-bodies/id_abc_s0_m100_b79c8dcf6bc3.xml')),
    (e: Error) => e instanceof ArxivApiError && /incorrect id format for abc/.test(e.message),
  );
  const page = parseApiFeed(read('arxiv-api-atom/recorded-2026-bodies/q_testing_s0_m100_cfe7536492ca.xml'));
  assert.deepEqual([page.total, page.records.length, page.rejected.length], [214881, 100, 0]);
});

test('RSS: the whole-arXiv day, its announce types, and the day on arXiv’s clock', () => {
  const feed = parseRss(read('arxiv-rss/rss_mock_feed.xml'), NY, null);
  assert.equal(feed.day, '2024-11-28');
  const types = feed.items.reduce<Record<string, number>>((n, i) => ({ ...n, [i.announceType]: (n[i.announceType] ?? 0) + 1 }), {});
  assert.deepEqual(types, { new: 926, replace: 569, cross: 9 });
  assert.equal(feed.rejected.length, 0);
  const listed = feed.items.filter((i) => i.record.listing);
  assert.equal(listed.length, 935); // new + cross enter the list; replacements do not
  assert.ok(listed.every((i) => i.record.listing!.day === '2024-11-28' && !i.record.listing!.estimated));
  const replaced = feed.items.find((i) => i.announceType === 'replace')!.record;
  assert.ok(replaced.version! >= 2);
  assert.equal(parseRss(read('arxiv-rss/rss_mock_feed.xml'), 'Asia/Tokyo', null).day, '2024-11-28');
  assert.equal(parseRss(read('arxiv-rss/rss_mock_feed.xml'), 'UTC', null).day, '2024-11-28');
});

test('RSS: category filter, the empty day, the error channel', () => {
  const cs = parseRss(read('arxiv-rss/rss_mock_feed.xml'), NY, ['cs.AI', 'cs.CL', 'cs.CV', 'cs.LG']);
  assert.ok(cs.items.length > 0);
  assert.ok(cs.items.every((i) => i.record.categories.some((c) => ['cs.AI', 'cs.CL', 'cs.CV', 'cs.LG'].includes(c))));
  const archive = parseRss(read('arxiv-rss/rss_mock_feed.xml'), NY, ['cs']);
  assert.ok(archive.items.length > cs.items.length);
  assert.deepEqual(parseRss(read('arxiv-rss/empty_rss_mock_feed.xml'), NY, null), { day: null, items: [], rejected: [] });
  assert.throws(
    () => parseRss(read('arxiv-rss/error_rss_mock_feed.xml'), NY, null),
    (e: Error) => e instanceof ArxivRssError && /Bad archive 'astroph'/.test(e.message),
  );
});

test('OAI-PMH: arXivRaw records, version history, resumption token, error codes', () => {
  const page = parseOaiPage(read('arxiv-oai-pmh/ListRecordsResponse.xml'));
  assert.equal(page.records.length, 6);
  assert.equal(page.resumptionToken, '726959|1001');
  assert.equal(page.completeListSize, 58011);
  assert.equal(page.responseDate, '2015-01-06T20:49:59Z');
  const first = page.records[0]!;
  assert.deepEqual(first.authors, ['D.V. Shetty', 'S.J. Yennello', 'G.A. Souliotis']);
  assert.equal(first.doi, '10.1103/PhysRevC.76.024606');
  assert.match(first.abstract, /extremely " stiff " and " soft "/);
  const multi = page.records.find((r) => r.arxivId === '0704.0716')!;
  assert.equal(multi.version, 4);
  assert.equal(multi.publishedAt, '2007-04-05T12:45:03.000Z');
  assert.equal(multi.arxivUpdatedOn, '2008-11-14');
  assert.deepEqual(parseOaiPage(read('arxiv-oai-pmh/ErrorResponseNoRecordsMatch.xml')).records, []);
  for (const [file, code] of [
    ['ErrorResponseBadArgument.xml', 'badArgument'],
    ['ErrorResponseBadResumptionToken.xml', 'badResumptionToken'],
    ['ErrorResponseBadVerb.xml', 'badVerb'],
    ['ErrorResponseIdDoesNotExist.xml', 'idDoesNotExist'],
  ]) {
    assert.throws(
      () => parseOaiPage(read(`arxiv-oai-pmh/${file}`)),
      (e: Error) => e instanceof OaiError && e.code === code,
      file,
    );
  }
  assert.equal(parseOaiPage(read('arxiv-oai-pmh/GetRecordResponse.xml')).records[0]!.arxivId, '1302.2146');
});

test('OAI-PMH set names', () => {
  assert.deepEqual(['cs.LG', 'cs', 'hep-th', 'astro-ph.GA', 'stat.ML'].map(setSpec), [
    'cs:cs:LG',
    'cs',
    'physics:hep-th',
    'physics:astro-ph:GA',
    'stat:stat:ML',
  ]);
});

test('Hugging Face: upvotes and links kept, user names dropped, bad JSON a clear error', () => {
  const day = parseHfDay(read('hf-daily-papers/raw-sample/2025-06-16.json'), '2025-06-16');
  assert.equal(day.records.length, 9);
  assert.ok(day.records.every((r) => r.listing?.submittedBy === null && r.listing.source === 'huggingface'));
  assert.equal(day.records[0]!.listing!.upvotes, 20);
  assert.equal(day.records[0]!.githubRepo, 'https://github.com/cvlab-kaist/MoAI');
  assert.throws(() => parseHfDay('<html>', '2025-06-16'), /not JSON/);
  assert.throws(() => parseHfDay('{"error":"x"}', '2025-06-16'), /expected a JSON array/);
});
