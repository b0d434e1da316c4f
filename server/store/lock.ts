/**
 * A mutex per key: `run(key, fn)` runs `fn` after every earlier `run` on the same key has
 * settled. The store serializes the commit step of writes with it (one object key, or one
 * upload id), never the streaming of bodies, which runs unlocked into private temp files.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
