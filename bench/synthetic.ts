// A synthetic corpus of any size for the 1M-paper figures: each paper takes its title, authors and
// categories from a real arxiv-daily-cs paper and its abstract from sentences of three real papers
// (seeded, so every run builds the same corpus), so word statistics stay those of real abstracts.
// Ids are made up in months the real corpus does not use (2015-2023).
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { gunzipSync } from 'node:zlib';
import { datasetPath } from '../src/testing/datasets.ts';

interface Source {
  title: string;
  authors: string[];
  categories: string[];
  summary: string;
}

/** A small, fast, seeded generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function writeSyntheticCorpus(path: string, count: number): Promise<void> {
  const sources = gunzipSync(readFileSync(datasetPath('arxiv-daily-cs/papers.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Source);
  const sentences = sources.map((s) => s.summary.replace(/\s+/g, ' ').split(/(?<=\.) /));
  const next = random(20261127);
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;
  const out = createWriteStream(path);
  for (let i = 0; i < count; i++) {
    const base = Math.floor(next() * sources.length);
    const source = sources[base]!;
    const abstract = [sentences[base]!, pick(sentences), pick(sentences)]
      .flatMap((s) => s.slice(0, 1 + Math.floor(next() * s.length)))
      .join(' ');
    const monthIndex = Math.floor(i / 99_999); // 99,999 papers a month: 1501, 1502, … 1512, 1601, …
    const yymm = String(1501 + Math.floor(monthIndex / 12) * 100 + (monthIndex % 12));
    const id = `${yymm}.${String((i % 99_999) + 1).padStart(5, '0')}`;
    const line = JSON.stringify({
      id,
      title: source.title,
      authors: source.authors,
      categories: source.categories,
      summary: abstract,
      comment: null,
      abs: `https://arxiv.org/abs/${id}`,
      listing_date: `20${yymm.slice(0, 2)}-${yymm.slice(2)}-15`,
    });
    if (!out.write(line + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
