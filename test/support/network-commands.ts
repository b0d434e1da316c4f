/**
 * Server commands that shape the test page's network through the DevTools protocol
 * (`Network.emulateNetworkConditions`): a throttled uplink with latency, or offline for a
 * while. They act on the session's own puppeteer page, so every request of the page (the
 * store, the token endpoint) goes through the same emulated link.
 *
 * `net:offline` takes a duration and goes back online by itself: while offline the page
 * could not send the command that ends it.
 */
import type { CDPSession, Page } from 'puppeteer-core';

export interface LinkConditions {
  /** Upload throughput, bytes per second (-1: unlimited). */
  uploadBps?: number;
  /** Download throughput, bytes per second (-1: unlimited). */
  downloadBps?: number;
  /** Added round-trip latency, ms. */
  latencyMs?: number;
}

const sessions = new WeakMap<Page, Promise<CDPSession>>();
let conditions: Required<LinkConditions> = { uploadBps: -1, downloadBps: -1, latencyMs: 0 };

function cdp(page: Page): Promise<CDPSession> {
  let s = sessions.get(page);
  if (!s) {
    s = page.createCDPSession().then(async (c) => {
      await c.send('Network.enable');
      return c;
    });
    sessions.set(page, s);
  }
  return s;
}

async function emulate(page: Page, offline: boolean): Promise<void> {
  await (await cdp(page)).send('Network.emulateNetworkConditions', {
    offline,
    latency: conditions.latencyMs,
    uploadThroughput: conditions.uploadBps,
    downloadThroughput: conditions.downloadBps,
  });
}

/** Pages are looked up through the launcher (`ChromeLauncher.getPage`). */
export type PageOf = (sessionId: string) => Page;

export const networkCommands = {
  /** Throttles the page's link; `{}` lifts every limit. */
  async 'net:throttle'(page: Page, p: LinkConditions) {
    conditions = { uploadBps: p.uploadBps ?? -1, downloadBps: p.downloadBps ?? -1, latencyMs: p.latencyMs ?? 0 };
    await emulate(page, false);
    return true;
  },
  /** Offline now, and back online (with the same throttling) after `ms`; resolves at once. */
  async 'net:offline'(page: Page, p: { ms: number }) {
    await emulate(page, true);
    setTimeout(() => void emulate(page, false).catch(() => undefined), p.ms);
    return true;
  },
};
