/**
 * A polite live region's text, throttled: messages that arrive within `interval` of the last
 * announcement are gathered and read out together, so a screen reader hears at most one
 * announcement per interval. Only state changes go here, never progress percentages.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Most messages read out at once; older ones in the same batch are dropped. */
const MAX_BATCH = 4;

export class Announcer implements ReactiveController {
  /** What the live region says now. */
  text = '';
  private queue: string[] = [];
  private last = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: ReactiveControllerHost, readonly interval = 1000) {
    host.addController(this);
  }

  announce(message: string): void {
    if (!message) return;
    this.queue = this.queue.filter((m) => m !== message);
    this.queue.push(message);
    if (this.queue.length > MAX_BATCH) this.queue.splice(0, this.queue.length - MAX_BATCH);
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.last + this.interval - performance.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.queue.length === 0) return;
    this.text = this.queue.join(' ');
    this.queue = [];
    this.last = performance.now();
    this.host.requestUpdate();
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }
}
