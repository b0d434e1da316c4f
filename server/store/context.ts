/** What the request handlers work with: the store's parts, and the request's target. */
import type { Address, CustomDomains } from './addressing.js';
import type { AuthConfig, Identity } from './auth.js';
import type { StoreDialect } from './dialects/index.js';
import type { BlobPool } from './blobs.js';
import type { Bucket, BucketRegistry } from './buckets.js';
import type { DiskLayout } from './disk.js';
import type { Exchange } from './exchange.js';
import type { ObjectCatalog } from './objects.js';
import type { UploadCatalog } from './uploads.js';
import type { FaultInjector } from './faults/index.js';
import { Errors } from './errors.js';
import { uriEncode } from '../../src/core/signing/request.js';

export interface StoreContext {
  layout: DiskLayout;
  buckets: BucketRegistry;
  objects: ObjectCatalog;
  uploads: UploadCatalog;
  blobs: BlobPool;
  auth: AuthConfig;
  bodyTimeoutMs: number;
  customDomains: CustomDomains;
  /** The fault mode, when on (faults/). */
  faults?: FaultInjector | undefined;
}

/** One request, routed: the bucket exists and the key (if any) is valid. */
export interface Target {
  ex: Exchange;
  ctx: StoreContext;
  address: Address;
  bucket: Bucket;
  key: string;
  query: Record<string, string>;
  /** Who signed the request. */
  identity: Identity;
  /** The dialect the request speaks (also `ex.dialect`). */
  dialect: StoreDialect;
}

/** `encoding-type`: absent or `url`; InvalidArgument otherwise. */
export function encodingType(query: Record<string, string>): 'url' | undefined {
  const value = query['encoding-type'];
  if (value === undefined || value === '') return undefined;
  if (value !== 'url') throw Errors.invalidArgument('The encoding-type must be url.', 'encoding-type', value);
  return 'url';
}

/** A key (or prefix, marker) as a listing writes it: percent-encoded under `encoding-type=url`. */
export function encodeKey(key: string, encoding: 'url' | undefined): string {
  return encoding === 'url' ? uriEncode(key) : key;
}

/** A decimal query parameter within [min, max], or `fallback` when absent. */
export function intParam(query: Record<string, string>, name: string, min: number, max: number, fallback: number): number {
  const raw = query[name];
  if (raw === undefined || raw === '') return fallback;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) throw Errors.invalidArgument(`${name} must be an integer between ${min} and ${max}.`, name, raw);
  return n;
}

/** ISO-8601 with milliseconds, as OSS writes dates in XML. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}
