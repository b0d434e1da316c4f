// ali-oss ships no types and @types/ali-oss lags the SDK (no authorizationV4, sldEnable);
// the tests use it loosely, as its own README does.
declare module 'ali-oss' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const OSS: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type OSS = any;
  export default OSS;
}
