/**
 * A test-runner command for the CSS media features `emulateMedia` cannot set with
 * puppeteer (forced-colors above all): `executeServerCommand('media:emulate', { features })`
 * sets them through the Chrome DevTools Protocol (`Emulation.setEmulatedMedia`), which
 * renders the page as Windows High Contrast would. An empty list resets.
 */
interface MediaFeature { name: string; value: string }

interface PageLike { createCDPSession(): Promise<{ send(method: string, params: object): Promise<unknown> }> }

export function mediaPlugin() {
  return {
    name: 'oss-uploader:media',
    async executeCommand({ command, payload, session }: {
      command: string; payload: unknown; session: { id: string; browser: { type: string; getPage(id: string): PageLike } };
    }) {
      if (command !== 'media:emulate') return undefined;
      const { features } = payload as { features: MediaFeature[] };
      const cdp = await session.browser.getPage(session.id).createCDPSession();
      await cdp.send('Emulation.setEmulatedMedia', { features });
      return true;
    },
  };
}
