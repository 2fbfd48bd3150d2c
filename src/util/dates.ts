// Calendar days as 'YYYY-MM-DD' strings, ISO 8601 weeks ('2025-W07') and months ('2025-02'),
// all in UTC so that a day means the same on every server.

export interface DayRange {
  from: string; // first day, inclusive
  to: string; // last day, inclusive
}

/** The calendar date of an instant in a time zone (the one exception to UTC: a list's day is local). */
export function dayIn(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** True for a real calendar date: 2025-02-28 yes, 2025-02-30 no. */
export function isValidDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** The ISO week a day belongs to, as '2025-W07'. */
export function isoWeekOf(date: string): string {
  const thursday = addDays(date, 3 - ((weekday(date) + 6) % 7));
  const year = thursday.slice(0, 4);
  const week = Math.floor((Date.parse(thursday) - Date.parse(`${year}-01-01`)) / 86_400_000 / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday to Sunday of an ISO week, or null when `week` is not one ('2025-W53' does not exist). */
export function weekRange(week: string): DayRange | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return null;
  const [year, n] = [m[1]!, Number(m[2])];
  const jan4 = `${year}-01-04`; // always in week 1
  const monday = addDays(addDays(jan4, -((weekday(jan4) + 6) % 7)), (n - 1) * 7);
  if (n < 1 || isoWeekOf(monday) !== week) return null;
  return { from: monday, to: addDays(monday, 6) };
}

/** First to last day of a month such as '2025-02', or null when it is not one. */
export function monthRange(month: string): DayRange | null {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return null;
  const next = Number(m[2]) === 12 ? `${Number(m[1]) + 1}-01-01` : `${m[1]}-${String(Number(m[2]) + 1).padStart(2, '0')}-01`;
  return { from: `${month}-01`, to: addDays(next, -1) };
}
