// Counting recent events per key (an address, an account) in a sliding window, in memory: enough to
// stop one client from flooding an inbox or guessing passwords; each process counts on its own.
export class RecentEvents {
  private events = new Map<string, number[]>();
  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}

  private recent(key: string, now: number): number[] {
    const kept = (this.events.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (kept.length) this.events.set(key, kept);
    else this.events.delete(key);
    return kept;
  }

  /** True while the key has had `max` events in the window. */
  full(key: string, now: number): boolean {
    return this.recent(key, now).length >= this.max;
  }

  /** Milliseconds until the key is below `max` again (0 when it is). */
  waitMs(key: string, now: number): number {
    const kept = this.recent(key, now);
    return kept.length < this.max ? 0 : kept[kept.length - this.max]! + this.windowMs - now;
  }

  add(key: string, now: number): void {
    if (this.events.size > 100_000) this.events.clear(); // bounded memory under a flood of keys
    this.events.set(key, [...this.recent(key, now), now]);
  }

  /** Records an event unless the key is full; says whether it was recorded. */
  take(key: string, now: number): boolean {
    if (this.full(key, now)) return false;
    this.add(key, now);
    return true;
  }

  clear(key: string): void {
    this.events.delete(key);
  }
}
