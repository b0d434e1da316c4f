/**
 * Whether the network is there, as one client's uploads see it. `navigator.onLine` lies
 * both ways (true behind a dead Wi-Fi, false on some VPNs), so it is only ever a hint:
 *
 * - a request that got no HTTP answer asks {@link NetworkState.isOffline}: offline when the
 *   browser says so, else when a probe fails too: a `no-cors` HEAD to the store's origin,
 *   then to the page's own (any answer at all, even an error page, proves the network).
 *   A CORS refusal, or a store that is down while the page's server answers, is therefore
 *   not mistaken for being offline: it fails as before;
 * - the browser's `offline` event goes offline at once and stops the requests in flight
 *   ({@link NetworkState.offlineSignal}), which would otherwise hang until their deadline;
 * - back online only when a probe succeeds: at once on the `online` event, on
 *   {@link NetworkState.probeNow} (the user pressed Retry), and every few seconds meanwhile.
 *
 * Dispatches `change` when it goes offline or back online.
 */

/** How long one probe may take. */
const PROBE_TIMEOUT_MS = 5000;
/** Probe intervals while offline: from the first to the largest. */
const PROBE_FIRST_MS = 1000;
const PROBE_MAX_MS = 10_000;

export interface NetworkStateOptions {
  /** The probe; default a `no-cors` HEAD that resolves on any answer. Returns whether the network answered. */
  probe?: (origin: string, signal: AbortSignal) => Promise<boolean>;
  /** Where the `online`/`offline` events come from; default `globalThis` when it has them. */
  events?: EventTarget | undefined;
  /** `navigator.onLine`, as a function (tests). */
  onLine?: () => boolean | undefined;
}

async function reachable(origin: string, signal: AbortSignal): Promise<boolean> {
  try {
    await fetch(origin + '/', { method: 'HEAD', mode: 'no-cors', cache: 'no-store', credentials: 'omit', signal });
    return true;
  } catch {
    return false;
  }
}

/** The store's origin answers, or else the page's own (http(s) pages only). */
async function defaultProbe(origin: string, signal: AbortSignal): Promise<boolean> {
  if (await reachable(origin, signal)) return true;
  const page = typeof location === 'object' && /^https?:$/.test(location.protocol) ? location.origin : undefined;
  return page !== undefined && page !== origin && reachable(page, signal);
}

export class NetworkState extends EventTarget {
  private offlineValue = false;
  private origin: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private interval = PROBE_FIRST_MS;
  private probing: Promise<boolean> | undefined;
  private stop = new AbortController();
  private readonly probeFn: (origin: string, signal: AbortSignal) => Promise<boolean>;
  private readonly onLine: () => boolean | undefined;

  constructor(opts: NetworkStateOptions = {}) {
    super();
    this.probeFn = opts.probe ?? defaultProbe;
    this.onLine = opts.onLine ?? (() => (typeof navigator === 'object' ? navigator.onLine : undefined));
    const events = opts.events ?? (typeof window === 'object' ? window : undefined);
    events?.addEventListener('offline', () => this.goOffline());
    events?.addEventListener('online', () => void this.probeNow());
  }

  /** True from the moment the network is known gone until a probe reaches the store again. */
  get offline(): boolean {
    return this.offlineValue;
  }

  /** Aborts when the network goes away (the browser's `offline` event): stops the requests in flight. */
  get offlineSignal(): AbortSignal {
    return this.stop.signal;
  }

  /**
   * After a request to `origin` got no HTTP answer: is the network gone? Yes when the
   * browser says it is offline, or when a probe of `origin` fails as well.
   */
  async isOffline(origin: string): Promise<boolean> {
    this.origin = origin;
    if (this.offlineValue) return true;
    if (this.onLine() === false) {
      this.goOffline();
      return true;
    }
    if (await this.probe()) return false;
    this.goOffline();
    return true;
  }

  /** Resolves once the network is back (at once if it is not known gone); rejects when `signal` aborts. */
  whenOnline(signal?: AbortSignal): Promise<void> {
    if (!this.offlineValue) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        if (this.offlineValue) return;
        this.removeEventListener('change', done);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.removeEventListener('change', done);
        reject(signal!.reason);
      };
      if (signal?.aborted) return onAbort();
      this.addEventListener('change', done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Probes now (the `online` event, a Retry pressed); goes back online if it succeeds. */
  async probeNow(): Promise<boolean> {
    if (!this.offlineValue) return true;
    const ok = await this.probe();
    if (ok) this.goOnline();
    return ok;
  }

  private probe(): Promise<boolean> {
    // Without a known origin there is nothing to ask: trust the browser.
    if (!this.origin) return Promise.resolve(this.onLine() !== false);
    const origin = this.origin;
    this.probing ??= this.probeFn(origin, AbortSignal.timeout(PROBE_TIMEOUT_MS))
      .catch(() => false)
      .finally(() => { this.probing = undefined; });
    return this.probing;
  }

  private goOffline(): void {
    if (this.offlineValue) return;
    this.offlineValue = true;
    this.stop.abort(new DOMException('The network went away.', 'NetworkError'));
    this.interval = PROBE_FIRST_MS;
    this.schedule();
    this.dispatchEvent(new Event('change'));
  }

  private goOnline(): void {
    if (!this.offlineValue) return;
    this.offlineValue = false;
    this.stop = new AbortController();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.dispatchEvent(new Event('change'));
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      if (!this.offlineValue) return;
      // Probed even when the browser says offline: it may be wrong (a probe fails fast when it is not).
      if (await this.probeNow()) return;
      this.interval = Math.min(PROBE_MAX_MS, this.interval * 2);
      this.schedule();
    }, this.interval);
  }
}
