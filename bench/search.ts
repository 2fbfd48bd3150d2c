// Keyword search latency over the 400 realistic queries of paper-search-queries (short phrases to
// multi-sentence questions), on the 74.7k-paper corpus loaded by the import benchmark.
import { readFileSync } from 'node:fs';
import { keywordSearch } from '../src/search/keyword.ts';
import { parseQuery } from '../src/search/query.ts';
import type { Database } from '../src/storage/db.ts';
import { datasetPath } from '../src/testing/datasets.ts';

function queries(): string[] {
  return ['computer_science_ai_search_queries.json', 'computer_science_non_ai_search_queries.json'].flatMap((file) =>
    Object.values(JSON.parse(readFileSync(datasetPath(`paper-search-queries/${file}`), 'utf8')) as { search_query: string }[]).map((q) => q.search_query),
  );
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function benchSearch(line: (name: string, value: string, note?: string) => void, database: Database, label: string) {
  const all = queries();
  const times: number[] = [];
  for (const text of all) {
    const start = performance.now();
    await keywordSearch(database, parseQuery(text), {}, 20);
    times.push(performance.now() - start);
  }
  line(`keyword search ${label}: ${all.length} queries, top 20`, `p50 ${percentile(times, 50).toFixed(1)} ms`, `p95 ${percentile(times, 95).toFixed(1)} ms, max ${Math.max(...times).toFixed(0)} ms`);
}
