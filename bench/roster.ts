/**
 * The contestants of `npm run bench`, in the order they run within a round, and what each
 * one needs from the store.
 */
import type { Entry } from './trial.js';

const MiB = 1024 * 1024;
/** The engine's defaults, which the "same settings" rows use. */
export const SAME = { partSize: 8 * MiB, concurrency: 4 } as const;

export interface Contestant extends Entry {
  /** Short id for JSON and the chart. */
  id: string;
  /** What the settings are, for the table. */
  settings: string;
  /** The store dialect it talks. */
  dialect: 'oss' | 'obs' | 's3';
  /** Which row its "× peer" comparisons are against (the engine's, same settings or defaults). */
  comparedAt?: 'same' | 'defaults';
  /** Skips the cancel and resume trials (the ceiling has no cancel semantics worth measuring). */
  throughputOnly?: boolean;
}

export const ROSTER: Contestant[] = [
  { id: 'ceiling', label: 'plain fetch PUTs, no hashing (the ceiling)', module: 'multipart-loop', dialect: 'oss', settings: '8 MiB × 4', options: { ...SAME, variant: { hash: 'none' } }, throughputOnly: true },
  { id: 'engine', label: 'oss-uploader engine, CRC-64 on (defaults)', module: 'engine', dialect: 'oss', settings: '8 MiB × 4', options: {} },
  { id: 'engine-nohash', label: 'oss-uploader engine, hashing off', module: 'engine', dialect: 'oss', settings: '8 MiB × 4', options: { variant: { hash: 'off' } }, throughputOnly: true },
  { id: 'element', label: '<oss-uploader> element on the page (engine + Lit)', module: 'element', dialect: 'oss', settings: '8 MiB × 4', options: {}, throughputOnly: true },
  { id: 'ali-oss', label: 'ali-oss 6.23 browser', module: 'ali-oss', dialect: 'oss', settings: '8 MiB × 4', options: { ...SAME }, comparedAt: 'same' },
  { id: 'ali-oss-defaults', label: 'ali-oss 6.23 browser, its defaults', module: 'ali-oss', dialect: 'oss', settings: '1 MiB × 5', options: {}, comparedAt: 'defaults' },
  { id: 'obs', label: 'esdk-obs-browserjs 3.25 (OBS dialect)', module: 'obs-sdk', dialect: 'obs', settings: '8 MiB × 4', options: { ...SAME }, comparedAt: 'same' },
  { id: 'obs-defaults', label: 'esdk-obs-browserjs 3.25, its defaults', module: 'obs-sdk', dialect: 'obs', settings: '9 MiB × 1', options: {}, comparedAt: 'defaults' },
  { id: 'uppy', label: 'Uppy 6 @uppy/aws-s3 (S3 dialect)', module: 'uppy-s3', dialect: 's3', settings: '8 MiB × 1 (parts sequential)', options: { partSize: SAME.partSize }, comparedAt: 'same' },
  { id: 'lib-storage', label: '@aws-sdk/lib-storage Upload (S3 dialect)', module: 'lib-storage', dialect: 's3', settings: '8 MiB × 4', options: { ...SAME }, comparedAt: 'same' },
  { id: 'lib-storage-defaults', label: '@aws-sdk/lib-storage Upload, its defaults', module: 'lib-storage', dialect: 's3', settings: '5 MiB × 4', options: {}, comparedAt: 'defaults' },
];

// Each contestant asks the token endpoint for credentials in its own dialect.
for (const c of ROSTER) c.options = { ...c.options, dialect: c.dialect };
