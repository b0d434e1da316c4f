// esdk-obs-nodejs ships no types; test/node/obs-sdk.test.ts declares the calls it makes.
declare module 'esdk-obs-nodejs' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const ObsClient: any;
  export default ObsClient;
}
