/**
 * Does the local store speak a vendor's dialect yet? Asked with the vendor's own Node SDK
 * (ListMultipartUploads with the store's root key): the OBS and S3 rows of the bench depend on it.
 *
 * esdk-obs-nodejs signs with OBS signatures only when the bucket is in the host name: with
 * `path_style` (or an IP-address server) it signs AWS V2 (`Authorization: AWS …`), which the
 * store does not speak and the browser contestant does not send. So the probe talks to
 * `uploads.localhost:<port>` through an agent that resolves `*.localhost`, as the browser
 * does, with signature negotiation off (else the first call is a HEAD `?apiversion`), and
 * yields once after `new ObsClient()` (the client configures itself asynchronously: a call
 * in the same tick throws). test/node/obs-sdk.test.ts drives the same SDK the same way.
 */
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import ObsClient from 'esdk-obs-nodejs';
import { LOCAL_REGION, LOCAL_ROOT_KEY } from '../server/local-backend.js';
import { localhostAgent } from '../test/support/localhost-agent.js';

const BUCKET = 'uploads';

export async function speaksS3(storeUrl: string): Promise<boolean> {
  const client = new S3Client({
    endpoint: storeUrl, region: LOCAL_REGION, forcePathStyle: true, maxAttempts: 1,
    credentials: { accessKeyId: LOCAL_ROOT_KEY.accessKeyId, secretAccessKey: LOCAL_ROOT_KEY.accessKeySecret },
  });
  try {
    await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'probe/' }), { abortSignal: AbortSignal.timeout(5000) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

export async function speaksObs(storeUrl: string): Promise<boolean> {
  const agent = localhostAgent();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const client: any = new (ObsClient as any)({
    access_key_id: LOCAL_ROOT_KEY.accessKeyId, secret_access_key: LOCAL_ROOT_KEY.accessKeySecret,
    server: `http://localhost:${new URL(storeUrl).port}`, is_signature_negotiation: false, http_agent: agent,
    timeout: 5, max_retry_count: 0,
  });
  try {
    await new Promise((r) => setImmediate(r));
    const r = await client.listMultipartUploads({ Bucket: BUCKET, Prefix: 'probe/' });
    return r.CommonMsg.Status < 300;
  } catch {
    return false;
  } finally {
    client.close?.();
    agent.destroy();
  }
}
