/** Credentials for the local store, minted by the local STS stand-in. */
import type { LocalSts } from '../sts/local-sts.js';
import type { CredentialIssuer, CredentialRequest, StsCredentials } from './issuer.js';

/** Mints with {@link LocalSts}; the local store accepts the result and enforces its policy. */
export class LocalIssuer implements CredentialIssuer {
  readonly mode = 'local';

  constructor(private readonly sts: LocalSts) {}

  async issue({ user, policy, ttlSeconds }: CredentialRequest): Promise<StsCredentials> {
    return this.sts.mint(policy, ttlSeconds, Date.now(), user);
  }
}
