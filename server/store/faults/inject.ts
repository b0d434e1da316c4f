/**
 * The fault mode's one hook into the request path (server.ts calls {@link FaultInjector.run}
 * around every request): decides, from the seeded PRNG, whether this request gets a fault,
 * injects it, and counts it. Requests signed with the root key (the tests' and the soak's own
 * look into the store) and CORS preflights are never faulted.
 */
import type { StoreContext } from '../context.js';
import { parseAddress } from '../addressing.js';
import { actualCorsHeaders } from '../cors.js';
import { dialectOf } from '../dialects/index.js';
import { Errors, OssError } from '../errors.js';
import type { Exchange } from '../exchange.js';
import { checkFaultConfig, ELIGIBLE, FAULT_KINDS, type FaultConfig, type FaultKind, type FaultOperation } from './config.js';
import { mulberry32 } from './prng.js';

const TOKEN_HEADERS = ['x-oss-security-token', 'x-obs-security-token', 'x-amz-security-token'];

/** The operation a request names, as far as the fault mode cares; undefined for what it leaves alone. */
export function faultOperation(ex: Exchange, ctx: StoreContext): { op: FaultOperation; bucket: string; key: string; uploadId: string | undefined } | undefined {
  let address;
  try {
    address = parseAddress(ex.req.url ?? '/', ex.header('host'), ctx.customDomains);
  } catch {
    return undefined;
  }
  const op = operationOf(ex.req.method ?? 'GET', address.key, address.query);
  if (!op || !address.bucket) return undefined;
  // A listing is journaled under the prefix it asks for (the engine lists one key's uploads).
  const key = op === 'ListMultipartUploads' ? address.query['prefix'] ?? '' : address.key;
  return { op, bucket: address.bucket, key, uploadId: address.query['uploadId'] };
}

function operationOf(method: string, key: string, q: Record<string, string>): FaultOperation | undefined {
  if (method === 'OPTIONS') return undefined;
  if (!key) return method === 'GET' && 'uploads' in q ? 'ListMultipartUploads' : undefined;
  switch (method) {
    case 'PUT': return 'uploadId' in q ? 'UploadPart' : 'PutObject';
    case 'POST': return 'uploads' in q ? 'InitiateMultipartUpload' : 'uploadId' in q ? 'CompleteMultipartUpload' : undefined;
    case 'GET': return 'uploadId' in q ? 'ListParts' : 'GetObject';
    case 'HEAD': return 'HeadObject';
    case 'DELETE': return 'uploadId' in q ? 'AbortMultipartUpload' : 'DeleteObject';
    default: return undefined;
  }
}

/** An error the store answers instead of handling the request. */
class InjectedAnswer extends OssError {}

/** One request the fault mode saw, as the soak's journal keeps it. */
export interface JournalEntry {
  op: FaultOperation;
  bucket: string;
  key: string;
  uploadId: string | undefined;
  /** The fault injected, if any. */
  fault: FaultKind | undefined;
  /**
   * The status the store's handler answered (also when a lost-answer fault kept it from the
   * client); undefined when the request was dropped before it was handled (reset, stall) or
   * the client went away first.
   */
  status: number | undefined;
  /** Whether the client received the answer. */
  delivered: boolean;
  /** When the request arrived (ms since the epoch). */
  at: number;
  /** When the store's handler answered (or would have, for a lost answer). */
  answeredAt?: number;
}

export interface FaultCounts {
  /** Faults injected, by kind. */
  byKind: Record<FaultKind, number>;
  /** Faults injected, by kind and operation (`UploadPart:lost-part-answer`). */
  byOperation: Record<string, number>;
  /** Requests refused as skewed while the clock had jumped (by the store's own check). */
  skewRefusals: number;
  /** Requests the fault mode looked at (eligible: signed with temporary credentials). */
  seen: number;
}

export class FaultInjector {
  private readonly random: () => number;
  private readonly counts: FaultCounts;
  private skewUntil = 0;
  /** Pending stalls and slow answers, to end them when the store closes. */
  private readonly waits = new Set<() => void>();
  private enabled = true;
  /** Every request seen, when `journal` is on (the soak reads it). */
  readonly journal: JournalEntry[] = [];

  constructor(private readonly config: FaultConfig) {
    checkFaultConfig(config);
    this.random = mulberry32(config.seed ?? 1);
    this.counts = {
      byKind: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
      byOperation: {}, skewRefusals: 0, seen: 0,
    };
  }

  /** The store's clock: real time, or `skewMs` ahead while a `clock-skew` fault lasts. */
  now(): number {
    const t = Date.now();
    return t < this.skewUntil ? t + (this.config.skewMs ?? 20 * 60_000) : t;
  }

  /** A copy of the counts so far. */
  snapshot(): FaultCounts {
    return structuredClone(this.counts);
  }

  /** Turns injection off (or on again); counts are kept. The soak turns it off for its final checks. */
  setEnabled(on: boolean): void {
    this.enabled = on;
    if (!on) this.skewUntil = 0;
  }

  /** Cancels pending stalls (the store is closing). */
  dispose(): void {
    for (const end of [...this.waits]) end();
  }

  private pick(op: FaultOperation): FaultKind | undefined {
    const r = this.random();
    let cumulative = 0;
    for (const kind of FAULT_KINDS) {
      const rate = this.config.rates[kind] ?? 0;
      if (rate <= 0 || !ELIGIBLE[kind].includes(op)) continue;
      cumulative += rate;
      if (r < cumulative) return kind;
    }
    return undefined;
  }

  private count(kind: FaultKind, op: FaultOperation): void {
    this.counts.byKind[kind]++;
    const k = `${op}:${kind}`;
    this.counts.byOperation[k] = (this.counts.byOperation[k] ?? 0) + 1;
  }

  private sleep(ms: number, ex: Exchange): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waits.delete(done);
        ex.res.off('close', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waits.add(done);
      ex.res.once('close', done); // the client gave up: stop holding the request
    });
  }

  /** Runs `handle` for the request, with a fault or without. */
  async run(ctx: StoreContext, ex: Exchange, handle: () => Promise<void>): Promise<void> {
    const target = this.enabled && TOKEN_HEADERS.some((h) => ex.header(h) !== undefined) ? faultOperation(ex, ctx) : undefined;
    if (!target) return handle();
    const { op } = target;
    this.counts.seen++;
    const entry: JournalEntry = { ...target, fault: undefined, status: undefined, delivered: false, at: Date.now() };
    if (this.config.journal) {
      this.journal.push(entry);
      ex.res.once('finish', () => {
        entry.answeredAt ??= Date.now();
        entry.status ??= ex.res.statusCode;
        entry.delivered = true;
      });
    }
    // An answer made here speaks the request's dialect and carries the bucket's CORS headers,
    // as the router's would: without them a browser would see every fault as a network error.
    ex.useDialect(dialectOf(ex.header('authorization'), ex.req.url));
    const bucket = ctx.buckets.get(parseAddress(ex.req.url ?? '/', ex.header('host'), ctx.customDomains).bucket);
    if (bucket) ex.setHeaders(actualCorsHeaders(bucket.cors, ex.header('origin'), ex.req.method ?? 'GET'));
    if (this.now() !== Date.now()) this.watchSkewRefusal(ex);
    const kind = this.pick(op);
    if (!kind) return handle();
    this.count(kind, op);
    entry.fault = kind;
    const hasBody = Number(ex.header('content-length') ?? 0) > 0;
    const refuse = (err: OssError) => {
      if (hasBody) ex.closeAfterResponse = true; // do not read a body only to refuse it
      throw err;
    };
    switch (kind) {
      case 'internal-error':
        return refuse(Errors.internal());
      case 'slow-down':
        return refuse(new InjectedAnswer('SlowDown', 503, 'Please reduce your request rate.'));
      case 'too-many-requests':
        return refuse(new InjectedAnswer('TooManyRequests', 429, 'Too many requests; please slow down.'));
      case 'expired-token':
        return refuse(Errors.securityTokenExpired());
      case 'clock-skew':
        this.skewUntil = Date.now() + (this.config.skewWindowMs ?? 2000);
        this.watchSkewRefusal(ex);
        return handle(); // the store's own check now sees the jumped clock
      case 'slow': {
        const [lo, hi] = this.config.slowMs ?? [200, 2000];
        await this.sleep(lo + this.random() * (hi - lo), ex);
        return handle();
      }
      case 'stall':
        await this.sleep(this.config.stallMs ?? 40_000, ex);
        ex.req.socket.destroy();
        return;
      case 'reset-mid-body':
        return this.resetMidBody(ex);
      case 'corrupt-checksum':
        this.corruptAnswer(ex);
        return handle();
      case 'lost-part-answer':
      case 'lost-complete-answer':
      case 'lost-initiate-answer':
        // The handler runs in full (the part, the object, the upload exist); the answer never leaves.
        ex.send = (status) => {
          entry.status = status;
          entry.answeredAt = Date.now();
          ex.req.socket.destroy();
        };
        return handle();
    }
  }

  /** Counts the request if the store's own check refuses it as skewed. */
  private watchSkewRefusal(ex: Exchange): void {
    const sendError = ex.sendError.bind(ex);
    ex.sendError = (error: unknown) => {
      if (error instanceof OssError && error.code === 'RequestTimeTooSkewed') this.counts.skewRefusals++;
      sendError(error);
    };
  }

  /** Reads a random share of the body, then resets the connection. */
  private resetMidBody(ex: Exchange): Promise<void> {
    const length = Number(ex.header('content-length') ?? 0);
    const cut = Math.floor(length * (0.1 + 0.8 * this.random()));
    return new Promise<void>((resolve) => {
      let seen = 0;
      const stop = () => {
        ex.req.off('data', onData);
        ex.req.socket.destroy();
        resolve();
      };
      const onData = (chunk: Buffer) => {
        seen += chunk.length;
        if (seen >= cut) stop();
      };
      ex.req.on('data', onData);
      ex.req.once('end', stop);
      ex.req.once('close', () => resolve());
    });
  }

  /** Corrupts the dialect's checksum header of a successful answer (the ETag in OBS). */
  private corruptAnswer(ex: Exchange): void {
    const send = ex.send.bind(ex);
    ex.send = (status, headers = {}, body) => {
      if (status !== 200) return send(status, headers, body);
      const out = { ...headers };
      let corrupted = false;
      for (const name of Object.keys(out)) {
        const lower = name.toLowerCase();
        if (lower === 'x-oss-hash-crc64ecma') {
          out[name] = (BigInt(out[name]!) ^ 0x5a5an).toString();
          corrupted = true;
        } else if (lower === 'x-amz-checksum-crc64nvme') {
          const bytes = Buffer.from(out[name]!, 'base64');
          bytes[0] = bytes[0]! ^ 0xff;
          out[name] = bytes.toString('base64');
          corrupted = true;
        }
      }
      if (!corrupted && ex.dialect.name === 'obs') {
        for (const name of Object.keys(out)) {
          if (name.toLowerCase() !== 'etag') continue;
          out[name] = out[name]!.replace(/[0-9a-f]/, (c) => ((parseInt(c, 16) + 1) % 16).toString(16));
        }
      }
      return send(status, out, body);
    };
  }
}
