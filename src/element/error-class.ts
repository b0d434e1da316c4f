/**
 * Which plain-language message a failure gets. The engine says what an error means
 * (`UploadError.kind`, the same for every store); this groups the kinds into the few
 * classes a person can act on. Vendor codes never decide here.
 */
import { AbortRefused, type ErrorKind, type UploadError } from '../core/index.js';

export type ErrorClass = 'network' | 'permission' | 'cors' | 'credentials' | 'integrity' | 'busy' | 'exists' | 'abort-refused' | 'other';

/** Every kind, so a new one cannot fall through unnoticed (tsc says so). */
const CLASS_OF: Readonly<Record<ErrorKind, ErrorClass | undefined>> = {
  'network': 'network',
  'offline': 'network',
  'timeout': 'network',
  'access-denied': 'permission',
  'cors': 'cors',
  'credentials': 'credentials',
  'expired-credentials': 'credentials',
  'clock-skew': 'credentials',
  'signature': 'credentials',
  'integrity': 'integrity',
  'bad-digest': 'integrity',
  'throttled': 'busy',
  'unavailable': 'busy',
  'object-exists': 'exists',
  'cancelled': undefined,
  'upload-gone': undefined,
  'invalid-part-list': undefined,
  'not-found': undefined,
  'invalid-input': undefined,
  'malformed-response': undefined,
  'abort-unconfirmed': undefined,
  'unknown': undefined,
};

export function errorClass(error: Pick<UploadError, 'kind' | 'status'>): ErrorClass {
  // The store refused to abort (not the upload's initiator…): the upload is still there.
  if (error instanceof AbortRefused) return 'abort-refused';
  const known = CLASS_OF[error.kind];
  if (known) return known;
  // A kind the engine could not name: the HTTP status still tells refusal from overload.
  if (error.kind === 'unknown' && error.status !== undefined) {
    if (error.status === 401 || error.status === 403) return 'permission';
    if (error.status === 429 || error.status >= 500) return 'busy';
  }
  return 'other';
}
