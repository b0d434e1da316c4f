/**
 * Image thumbnails for the rows, bounded in memory and time: only image files under
 * {@link MAX_BYTES} are decoded, with `createImageBitmap` asked for a small size (Chromium
 * decodes off the main thread and downscales while decoding), {@link AT_ONCE} at a time,
 * each given up after {@link TIMEOUT_MS}. The result is a small PNG behind a `blob:` URL
 * (allowed by `img-src blob:`), revoked when its row goes or the element leaves the page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Larger images get the file-type icon only. */
export const MAX_BYTES = 25 * 1024 * 1024;
/** Decodes running at once. */
export const AT_ONCE = 2;
/** A decode taking longer is given up. */
export const TIMEOUT_MS = 8000;
/** Edge of the square thumbnail, in device pixels (shown at 40 CSS px). */
export const EDGE = 80;

const DECODABLE = /^image\/(png|jpeg|gif|webp|avif|bmp|x-icon|vnd\.microsoft\.icon)$/;

interface Entry { url: string | undefined; failed: boolean }

export class Thumbnails implements ReactiveController {
  private readonly entries = new Map<File, Entry>();
  private readonly waiting: File[] = [];
  private running = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.releaseAll();
  }

  /** The thumbnail of `file` if ready; starts making it if it can be made. */
  urlFor(file: File): string | undefined {
    const entry = this.entries.get(file);
    if (entry) return entry.url;
    if (!canThumbnail(file)) return undefined;
    this.entries.set(file, { url: undefined, failed: false });
    this.waiting.push(file);
    this.pump();
    return undefined;
  }

  /** Forgets every file not in `files` (revoking its URL). */
  keepOnly(files: ReadonlySet<File>): void {
    for (const [file, entry] of this.entries) {
      if (files.has(file)) continue;
      if (entry.url) URL.revokeObjectURL(entry.url);
      this.entries.delete(file);
      const i = this.waiting.indexOf(file);
      if (i >= 0) this.waiting.splice(i, 1);
    }
  }

  releaseAll(): void {
    this.keepOnly(new Set());
  }

  /** How many object URLs are alive (for tests). */
  get liveUrls(): number {
    return [...this.entries.values()].filter((e) => e.url).length;
  }

  private pump(): void {
    while (this.running < AT_ONCE && this.waiting.length > 0) {
      const file = this.waiting.shift()!;
      this.running++;
      void makeThumbnail(file).then((blob) => {
        const entry = this.entries.get(file);
        if (!entry) return; // the row went meanwhile
        if (blob) entry.url = URL.createObjectURL(blob);
        else entry.failed = true;
        this.host.requestUpdate();
      }).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }
}

export function canThumbnail(file: File): boolean {
  return DECODABLE.test(file.type) && file.size > 0 && file.size <= MAX_BYTES
    && typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function';
}

/** A square, centre-cropped PNG of `file`, or undefined if it cannot be decoded in time. */
async function makeThumbnail(file: File): Promise<Blob | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), TIMEOUT_MS); });
  const decoding = createImageBitmap(file, { resizeHeight: EDGE * 2, resizeQuality: 'medium' });
  try {
    const bitmap = await Promise.race([decoding, late]);
    if (bitmap === 'late') {
      void decoding.then((b) => b.close(), () => undefined);
      return undefined;
    }
    try {
      const canvas = new OffscreenCanvas(EDGE, EDGE);
      const ctx = canvas.getContext('2d');
      if (!ctx) return undefined;
      const side = Math.min(bitmap.width, bitmap.height);
      ctx.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, EDGE, EDGE);
      return await canvas.convertToBlob({ type: 'image/png' });
    } finally {
      bitmap.close();
    }
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
