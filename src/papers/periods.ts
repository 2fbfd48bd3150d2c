// The periods a list can cover (a day, an ISO week, a month), parsed from URLs and API parameters
// in one place so that pages and API accept and refuse exactly the same values.
import { isValidDate, isoWeekOf, monthRange, weekRange, type DayRange } from '../util/dates.ts';

export type PeriodKind = 'date' | 'week' | 'month';

export interface Period extends DayRange {
  kind: PeriodKind;
  value: string; // '2026-07-01', '2026-W27', '2026-07'
}

export const PERIOD_FORMATS: Record<PeriodKind, string> = {
  date: 'YYYY-MM-DD, a real calendar day from 1900 to 2199',
  week: 'YYYY-Www, an ISO 8601 week such as 2026-W27, from 1900 to 2199',
  month: 'YYYY-MM, from 1900 to 2199',
};

/** Years a list can be in: arXiv began in 1991; beyond these, date arithmetic and formats break. */
const YEARS = /^(19|20|21)\d\d-/;

/** The period, or null when `value` is not a valid one of that kind (2025-02-30, 2025-W54, 2025-13). */
export function parsePeriod(kind: PeriodKind, value: string): Period | null {
  if (!YEARS.test(value)) return null;
  if (kind === 'date') return isValidDate(value) ? { kind, value, from: value, to: value } : null;
  const range = kind === 'week' ? weekRange(value) : monthRange(value);
  return range && { kind, value, ...range };
}

/** The period of a kind that contains a day. */
export function periodOf(kind: PeriodKind, day: string): Period {
  const value = kind === 'date' ? day : kind === 'week' ? isoWeekOf(day) : day.slice(0, 7);
  return parsePeriod(kind, value)!;
}
