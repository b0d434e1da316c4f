/** What the bench page and each contestant module agree on. */

/** The token endpoint's answer (Alibaba STS AssumeRole shape plus where to upload). */
export interface Token {
  AccessKeyId: string;
  AccessKeySecret: string;
  SecurityToken: string;
  Expiration: string;
  endpoint: string;
  bucket: string;
  region: string;
  keyPrefix: string;
}

export interface RunOptions {
  /** Token endpoint user: keys land under `uploads/<user>/`. */
  user: string;
  /** Object key below the user's prefix. */
  key: string;
  /** The store dialect to ask the token endpoint for (default oss). */
  dialect?: 'oss' | 'obs' | 's3';
  partSize?: number;
  concurrency?: number;
  /** Contestant-specific switches (e.g. `hash: 'off'`). */
  variant?: Record<string, string | number | boolean>;
}

export interface StartOptions extends RunOptions {
  token: Token;
  tokenUrl: string;
  /** The page was reloaded after a cancelled upload of this file to this key. */
  afterReload?: boolean;
}

/** One running upload. `done` resolves once the object is complete (with anything worth reporting). */
export interface Session {
  done: Promise<Record<string, unknown> | void>;
  /** Stops every request; resolves when the contestant says it has stopped. */
  cancel(): Promise<unknown> | void;
  /** Goes on after `cancel`, sending what is missing; undefined if the contestant cannot. */
  resume?(): Promise<Record<string, unknown> | void>;
}

export interface ContestantModule {
  start(file: File, opts: StartOptions): Session;
  /** The contestant can find and continue its upload after a page reload. */
  resumesAcrossReloads?: boolean;
}

declare global {
  interface Window {
    bench: Record<string, (...args: never[]) => unknown>;
  }
}
