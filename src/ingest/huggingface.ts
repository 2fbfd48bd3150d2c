// Hugging Face Daily Papers (GET /api/daily_papers?date=): an optional "community picks" source. We take
// arXiv ids, upvotes, code repositories, stars and project pages; never HF user names or avatars.
import { toPaperRecord } from '../importer/formats.ts';
import { RecordError } from '../importer/record.ts';
import type { PaperRecord } from '../model/paper.ts';
import type { HttpClient } from './http.ts';

export class HuggingFaceError extends Error {}

export interface HfDay {
  records: PaperRecord[];
  rejected: { id: string; message: string }[];
}

/** Reads one day's response; every record is listed on `day`, with no submitter. */
export function parseHfDay(body: string, day: string): HfDay {
  let items: unknown;
  try {
    items = JSON.parse(body);
  } catch (err) {
    throw new HuggingFaceError(`not JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(items)) throw new HuggingFaceError('expected a JSON array of daily papers');
  const result: HfDay = { records: [], rejected: [] };
  for (const item of items) {
    try {
      const record = toPaperRecord(item, day);
      result.records.push({ ...record, listing: record.listing && { ...record.listing, submittedBy: null } });
    } catch (err) {
      if (!(err instanceof RecordError)) throw err;
      result.rejected.push({ id: String((item as { paper?: { id?: unknown } })?.paper?.id ?? '?'), message: err.message });
    }
  }
  return result;
}

export class HuggingFace {
  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
  ) {}

  async day(day: string): Promise<HfDay> {
    const response = await this.http.get(`${this.baseUrl}/daily_papers?date=${day}&limit=100`);
    if (response.status !== 200) throw new HuggingFaceError(`Hugging Face answered HTTP ${response.status} for ${day}`);
    return parseHfDay(response.body, day);
  }
}
