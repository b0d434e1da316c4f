/** The engine with the hashing layer as it was before issue 9 (bench/baseline/), for A/B runs. */
import { WorkerHasher as BaselineHasher } from '../baseline/hasher.js';
import type { ContestantModule, Session, StartOptions } from '../page/contract.js';
import { start as startEngine } from './engine.js';

export function start(file: File, opts: StartOptions): Session {
  return startEngine(file, opts, new BaselineHasher());
}

const _check: ContestantModule = { start };
void _check;
