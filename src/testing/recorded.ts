// Routes for the replay server that answer as arXiv and Hugging Face did, from the recorded
// responses in ../shared/datasets. Paths mirror the real services' (…/rss/<categories>,
// …/api/query?id_list=…, …/oai?verb=…, …/api/daily_papers?date=…).
import { readdirSync, readFileSync } from 'node:fs';
import type { Reply } from './replay.ts';
import { datasetPath } from './datasets.ts';
import { oaiPage, type loadDailyPapers } from './oai-stream.ts';

const read = (path: string) => readFileSync(datasetPath(path), 'utf8');

/** Recorded query-API exchanges, by their id_list parameter. */
function apiExchanges(): Map<string, Reply> {
  const dir = 'arxiv-api-atom/recorded-2026';
  const map = new Map<string, Reply>();
  for (const file of readdirSync(datasetPath(dir))) {
    const { url, status_code, body } = JSON.parse(read(`${dir}/${file}`)) as { url: string; status_code: number; body: string };
    const ids = new URL(url).searchParams.get('id_list');
    // Also by the unversioned id: a look-up asks for the latest version.
    if (ids) for (const key of [ids, ids.replace(/v\d+$/, '')]) map.set(key, { status: status_code, body });
  }
  return map;
}

export interface RecordedOptions {
  /** The OAI-PMH stream to page through; without it, the recorded ListRecords response. */
  oaiPapers?: ReturnType<typeof loadDailyPapers>;
  oaiPageSize?: number;
  /** HF responses by day; without a day here, 404. */
  hfDays?: Record<string, string>;
}

export function recordedRoutes(options: RecordedOptions = {}) {
  const api = apiExchanges();
  return (url: URL): Reply | undefined => {
    if (url.pathname.startsWith('/rss/')) {
      const feed = url.pathname.slice('/rss/'.length);
      if (feed === 'test') return { body: read('arxiv-rss/empty_rss_mock_feed.xml') };
      if (feed === 'astroph') return { body: read('arxiv-rss/error_rss_mock_feed.xml') };
      return { body: read('arxiv-rss/rss_mock_feed.xml') };
    }
    if (url.pathname === '/api/query') {
      const ids = url.searchParams.get('id_list') ?? '';
      return api.get(ids) ?? { body: read('arxiv-api-atom/recorded-2026-bodies/id_0000.0000_s0_m100_8b51d9633a68.xml') };
    }
    if (url.pathname === '/oai') {
      const token = url.searchParams.get('resumptionToken');
      if (url.searchParams.get('set') === 'none:none:none') return { body: read('arxiv-oai-pmh/ErrorResponseNoRecordsMatch.xml') };
      if (url.searchParams.get('set') === 'bad:bad:bad') return { body: read('arxiv-oai-pmh/ErrorResponseBadArgument.xml') };
      if (token === 'expired') return { body: read('arxiv-oai-pmh/ErrorResponseBadResumptionToken.xml') };
      if (!options.oaiPapers)
        return { body: read('arxiv-oai-pmh/ListRecordsResponse.xml').replace(/<resumptionToken[^>]*>[^<]*<\/resumptionToken>/, '') };
      const n = token ? Number(token.replace('page-', '')) : 0;
      return { body: oaiPage(options.oaiPapers, n, options.oaiPageSize ?? 100) };
    }
    if (url.pathname === '/api/daily_papers') {
      const body = options.hfDays?.[url.searchParams.get('date') ?? ''];
      return body ? { body, headers: { 'content-type': 'application/json' } } : { status: 404, body: '{"error":"not found"}' };
    }
    return undefined;
  };
}

/** Settings that point every ingest client at a replay server, with no politeness wait. */
export function replayConfig(base: string): Record<string, string> {
  return {
    ARXIV_RSS_URL: `${base}/rss`,
    ARXIV_API_URL: `${base}/api/query`,
    ARXIV_OAI_URL: `${base}/oai`,
    HF_API_URL: `${base}/api`,
    ARXIV_REQUEST_INTERVAL_MS: '0',
    CONTACT_EMAIL: 'operator@example.org',
  };
}
