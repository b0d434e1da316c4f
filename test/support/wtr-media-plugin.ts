/**
 * A test-runner command for the CSS media features `emulateMedia` cannot set with
 * puppeteer (forced-colors above all): `executeServerCommand('media:emulate', { features })`
 * sets them through the Chrome DevTools Protocol (`Emulation.setEmulatedMedia`), which
 * renders the page as Windows High Contrast would. An empty list resets.
 */
interface MediaFeature { name: string; value: string }

interface Cdp { send(method: string, params: object): Promise<unknown>; detach(): Promise<void> }
interface PageLike { createCDPSession(): Promise<Cdp> }

export function mediaPlugin() {
  // One DevTools session per test page; detached on reset, so its overrides cannot outlive
  // the test and fight puppeteer's own (emulateMedia's colour scheme, say) in later files.
  const sessions = new Map<string, Cdp>();
  return {
    name: 'oss-uploader:media',
    async executeCommand({ command, payload, session }: {
      command: string; payload: unknown; session: { id: string; browser: { type: string; getPage(id: string): PageLike } };
    }) {
      if (command !== 'media:emulate') return undefined;
      const { features } = payload as { features: MediaFeature[] };
      let cdp = sessions.get(session.id);
      if (features.length === 0) {
        if (cdp) {
          sessions.delete(session.id);
          await cdp.send('Emulation.setEmulatedMedia', { features: [] });
          await cdp.detach();
        }
        return true;
      }
      if (!cdp) sessions.set(session.id, (cdp = await session.browser.getPage(session.id).createCDPSession()));
      await cdp.send('Emulation.setEmulatedMedia', { features });
      return true;
    },
  };
}
