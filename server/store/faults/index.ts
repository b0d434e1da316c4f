/** The local store's fault mode (off by default): see config.ts for the faults, inject.ts for the hook. */
export { FAULT_KINDS, ELIGIBLE, faultConfigFromEnv, mixedRates, type FaultConfig, type FaultKind, type FaultOperation } from './config.js';
export { FaultInjector, faultOperation, type FaultCounts, type JournalEntry } from './inject.js';
