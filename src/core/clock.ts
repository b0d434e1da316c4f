/**
 * The client's idea of the store's time. Requests are signed with `clock.now()`; when the
 * store answers `RequestTimeTooSkewed` with its `ServerTime`, the offset is learned and
 * every later signature uses it, for every upload sharing the clock.
 */
export class Clock {
  private offsetMs = 0;

  constructor(private readonly local: () => number = Date.now) {}

  /** The store's time, as best known. */
  now(): Date {
    return new Date(this.local() + this.offsetMs);
  }

  /** The learned offset (store − local) in milliseconds. */
  get offset(): number {
    return this.offsetMs;
  }

  /**
   * Learns the offset from a server timestamp (ISO-8601 or RFC 7231). Returns false when the
   * value cannot be parsed, so the caller does not retry in vain.
   */
  correct(serverTime: string | undefined | null): boolean {
    if (!serverTime) return false;
    const server = Date.parse(serverTime);
    if (Number.isNaN(server)) return false;
    this.offsetMs = server - this.local();
    return true;
  }
}
