// arXiv's announcement clock (https://info.arxiv.org/help/availability.html), in America/New_York:
// submissions close at 14:00 Monday to Friday and are announced at 20:00 the same evening (Friday's at
// 20:00 on Sunday). A list is named by the morning after its announcement, as arXiv's own listing
// pages and Hugging Face do: a paper submitted Friday 13:00 is announced Sunday night and is on
// Monday's list. We use this to place a back-filled paper, whose listing day nobody recorded, on the
// day's list it was announced in. arXiv's holiday closures are not modelled: a paper announced after a
// holiday lands one weekday early, which keeps it within the same week.

import { addDays, weekday } from '../util/dates.ts';

const ARXIV_ZONE = 'America/New_York';
const CUTOFF_HOUR = 14;

const parts = new Intl.DateTimeFormat('en-US', {
  timeZone: ARXIV_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** The date (YYYY-MM-DD) and hour of an instant on arXiv's clock. */
function arxivLocal(instant: Date): { date: string; hour: number } {
  const p = Object.fromEntries(parts.formatToParts(instant).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) };
}

function isWeekday(date: string): boolean {
  return weekday(date) !== 0 && weekday(date) !== 6;
}

function nextWeekday(date: string): string {
  let d = addDays(date, 1);
  while (!isWeekday(d)) d = addDays(d, 1);
  return d;
}

/** The day's list a paper submitted at `submittedAt` (its v1) first appears on. */
export function announcementDay(submittedAt: Date): string {
  const { date, hour } = arxivLocal(submittedAt);
  const cutoffDay = isWeekday(date) && hour < CUTOFF_HOUR ? date : nextWeekday(date);
  return nextWeekday(cutoffDay);
}
