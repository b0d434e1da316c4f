/**
 * How one upload proves its bytes arrived intact, from the dialect's {@link IntegrityRules}
 * and the application's options: which digests to compute for a part, which headers carry
 * them, and what the store's answer must show. The same rules serve PutObject, UploadPart,
 * parts found by ListParts on resume, and the whole object after Complete.
 */
import { crc64Fold, crc64FromHex } from './crc64.js';
import type { IntegrityRules, StoreChecksum } from './dialect.js';
import type { BlobDigests, DigestAlgorithm } from './hash-blob.js';
import { hexToBase64 } from './signing/crypto.js';

/** What the store said of a part or object. */
export interface StoreAnswer {
  /** Null when CORS hides the header. */
  etag: string | null | undefined;
  /** The store's checksum, when it reported one. */
  checksum?: bigint | undefined;
}

/** The verdict on one answer. */
export type Verdict =
  /** The store's checksum, or our Content-MD5 it accepted, or its ETag, proves the bytes. */
  | 'verified'
  /** Nothing to compare here (CORS hid the header): to be checked later, e.g. against ListParts. */
  | 'unverified'
  /** The store has other bytes than we sent. */
  | 'mismatch';

/** An ETag without its quotes, lower-case: how two ETags are compared, whatever case the store writes. */
export function bareEtag(etag: string | null | undefined): string | undefined {
  return etag?.replace(/"/g, '').toLowerCase();
}

function plainMd5(etag: string | null | undefined): string | undefined {
  const hex = bareEtag(etag);
  return hex && /^[0-9a-f]{32}$/.test(hex) ? hex : undefined;
}

export class IntegrityPlan {
  readonly checksum: StoreChecksum | undefined;
  /**
   * Whether the store checks our checksum for this upload: learned from the Initiate answer
   * (stores that send their own value in every answer always do). Undefined until known.
   */
  checksumAccepted: boolean | undefined;

  constructor(private readonly rules: IntegrityRules, private readonly askedForMd5: boolean) {
    this.checksum = rules.checksum;
    this.checksumAccepted = rules.checksum && !rules.checksum.sentWithRequest ? true : undefined;
  }

  /** Whether Content-MD5 goes with each body. */
  get sendsMd5(): boolean {
    const rule = this.rules.contentMd5;
    return this.askedForMd5 || rule === 'always' || (rule === 'unless-checksum' && this.checksumAccepted !== true);
  }

  /** Whether the digests must be ready before the body is sent (they travel in its headers). */
  get digestsBeforeSend(): boolean {
    return this.sendsMd5 || this.checksum?.sentWithRequest === true;
  }

  /** The digests to compute for a body. */
  digests(): DigestAlgorithm[] {
    const out: DigestAlgorithm[] = [];
    if (this.checksum) out.push(this.checksum.algorithm);
    if (this.sendsMd5 || this.rules.etagIsPartMd5) out.push('md5');
    return out;
  }

  /** Headers carrying the digests with the body. */
  requestHeaders(d: BlobDigests): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.sendsMd5 && d.md5) headers['Content-MD5'] = hexToBase64(d.md5);
    const value = this.localChecksum(d);
    // Not to a store known to ignore it: an unknown header is one more thing a store may refuse.
    if (this.checksum?.sentWithRequest && this.checksumAccepted !== false && value !== undefined) {
      Object.assign(headers, this.checksum.requestHeaders(value));
    }
    return headers;
  }

  /** Our checksum (the dialect's CRC-64) from the digests, if the dialect has one. */
  localChecksum(d: BlobDigests): bigint | undefined {
    const hex = this.checksum ? d[this.checksum.algorithm] : undefined;
    return hex === undefined ? undefined : crc64FromHex(hex);
  }

  /** The verdict on the store's answer to a body with digests `d` (`md5Sent`: it carried Content-MD5). */
  judge(d: BlobDigests, answer: StoreAnswer, md5Sent: boolean): Verdict {
    const local = this.localChecksum(d);
    if (local !== undefined && answer.checksum !== undefined) return local === answer.checksum ? 'verified' : 'mismatch';
    // The store checked the Content-MD5 we sent, or it would have refused the body.
    if (md5Sent && d.md5) return 'verified';
    if (this.rules.etagIsPartMd5 && d.md5) {
      const etag = plainMd5(answer.etag);
      if (etag !== undefined) return etag === d.md5 ? 'verified' : 'mismatch';
    }
    return 'unverified';
  }

  /** Digests needed to judge a part the store lists (resume, or a late check). */
  digestsForListed(): DigestAlgorithm[] {
    const out: DigestAlgorithm[] = [];
    if (this.checksum) out.push(this.checksum.algorithm);
    out.push('md5');
    return out;
  }

  /**
   * The verdict on a listed part: its checksum if the store lists one, else its ETag when it
   * looks like an MD5 (S3-family part ETags are, but for encrypted objects: a part whose ETag
   * differs from our MD5 is sent again, which costs bytes, never correctness).
   */
  judgeListed(d: BlobDigests, listed: StoreAnswer): Verdict {
    const local = this.localChecksum(d);
    if (local !== undefined && listed.checksum !== undefined) return local === listed.checksum ? 'verified' : 'mismatch';
    const etag = plainMd5(listed.etag);
    if (etag !== undefined && d.md5) return etag === d.md5 ? 'verified' : 'mismatch';
    return 'unverified';
  }

  /** The whole object's checksum folded from the parts' (in part order), if every part has one. */
  fold(parts: readonly { checksum: bigint | undefined; size: number }[]): bigint | undefined {
    if (!this.checksum || parts.some((p) => p.checksum === undefined)) return undefined;
    return crc64Fold(parts.map((p) => ({ crc64: p.checksum!, size: p.size })), this.checksum.algorithm);
  }
}
