// Rebuilds src/demo/demo-papers.jsonl.gz, the data a new instance starts with, from the real
// datasets in ../shared/datasets: 14 days of arXiv daily listings (cs.AI/CL/CV/GR) and the Hugging
// Face Daily Papers responses that bring real upvotes, code links and stars for them. The HF items
// are kept as HF sent them (their user names are already pseudonyms in the dataset).
//   node --import tsx scripts/build-demo-data.ts
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { addDays } from '../src/util/dates.ts';

const datasets = new URL('../../shared/datasets/', import.meta.url);
const FIRST = '2026-06-18';
const LAST = '2026-07-01';
const HF_SLACK_DAYS = 7; // HF lists a paper a few days around its arXiv announcement

const arxiv = gunzipSync(readFileSync(new URL('arxiv-daily-cs/papers.jsonl.gz', datasets)))
  .toString('utf8')
  .split('\n')
  .filter((line) => {
    const day = line && (JSON.parse(line) as { listing_date: string }).listing_date;
    return day && day >= FIRST && day <= LAST;
  });
const ids = new Set(arxiv.map((line) => (JSON.parse(line) as { id: string }).id));

const hf: string[] = [];
const tarball = new URL('hf-daily-papers/daily.tar.gz', datasets).pathname;
for (let day = addDays(FIRST, -HF_SLACK_DAYS); day <= addDays(LAST, HF_SLACK_DAYS); day = addDays(day, 1)) {
  let response: string;
  try {
    response = execFileSync('tar', ['-xzOf', tarball, `daily/${day}.json`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    continue; // no response recorded that day
  }
  for (const item of JSON.parse(response) as { paper: { id: string } }[]) {
    if ((day >= FIRST && day <= LAST) || ids.has(item.paper.id)) hf.push(JSON.stringify(item));
  }
}

const out = new URL('../src/demo/demo-papers.jsonl.gz', import.meta.url);
writeFileSync(out, gzipSync([...arxiv, ...hf].join('\n') + '\n', { level: 9 }));
console.log(`${arxiv.length} arXiv listings and ${hf.length} Hugging Face items, ${FIRST}..${LAST} → ${out.pathname}`);
