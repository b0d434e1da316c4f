/**
 * The token endpoint an application server runs next to `<oss-uploader>`: it hands the
 * browser short-lived STS credentials scoped to the user's own key prefix.
 *
 * ```ts
 * import { startTokenServer, tokenOptionsFromEnv } from './server/token/index.js';
 * const server = await startTokenServer({
 *   ...tokenOptionsFromEnv(process.env, local),
 *   resolveUser: (req) => sessionOf(req)?.userId,   // your session, not the demo's
 * });
 * ```
 */
export { createTokenHandler, DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS } from './handler.js';
export type { TokenEndpointOptions, TokenHandler, TokenResponseBody } from './handler.js';
export { startTokenServer, TOKEN_PATH, type TokenServer } from './server.js';
export { tokenOptionsFromEnv, ALIBABA_ENV, type LocalStoreSettings } from './env.js';
export { IssuerError, type CredentialIssuer, type CredentialRequest, type StsCredentials } from './issuer.js';
export { LocalIssuer } from './local-issuer.js';
export { S3StsIssuer, iamPolicyFromRam, s3TokenOptionsFromEnv, type S3StsOptions } from './s3-sts-issuer.js';
export { AlibabaStsIssuer, DEFAULT_STS_ENDPOINT, type AlibabaStsOptions } from './alibaba-issuer.js';
export { uploadPolicy, adminPolicy, userKeyPrefix, UPLOAD_ACTIONS } from './policy.js';
export { demoUser, USER_ID_PATTERN } from './user.js';
export { DIALECTS, isDialect, localTargets, type DialectName, type DialectTarget } from './targets.js';
export type { TokenErrorBody } from './json-response.js';
