/**
 * The base class of the package's elements: one language mechanism for all of them. `lang`
 * and `dir` stay the native attributes (so `el.lang = 'zh-CN'` and inheritance from an
 * ancestor work as for any element); a change to either, on the element, an ancestor or the
 * document, or a newly registered translation, renders the element again in that language.
 */
import { LitElement } from 'lit';
import { emit, type OssEventName, type DetailOf } from './events.js';
import { LocalizeController } from './localize.js';
import type { Translation } from './translation.js';

/** The longest the first render waits for a built-in translation being fetched, in ms. */
const STRINGS_WAIT = 3000;

export class OssElement extends LitElement {
  /** The translation and `Intl` formatters in force (see {@link LocalizeController}). */
  protected readonly localize = new LocalizeController(this);

  /** `lang` and `dir` are native attributes: watch them so a change renders in the new language. */
  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang', 'dir'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (name === 'lang' || name === 'dir') this.requestUpdate();
    else super.attributeChangedCallback(name, old, value);
  }

  /**
   * The first render waits for the strings of the language in force when they are a built-in
   * translation still being fetched (at most {@link STRINGS_WAIT} ms: past that, or if the
   * fetch fails, it renders in English and again when they arrive). Later renders never wait:
   * a language switch renders again once the strings are here.
   */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const strings = this.hasUpdated ? undefined : this.localize.strings();
    if (!strings) return super.scheduleUpdate();
    return Promise.race([strings, new Promise((ok) => setTimeout(ok, STRINGS_WAIT))]).then(() => super.scheduleUpdate());
  }

  /** `updateComplete` also waits for strings being fetched (at most {@link STRINGS_WAIT} ms), and the render they cause. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    const strings = this.localize.strings();
    if (strings) {
      await Promise.race([strings, new Promise((ok) => setTimeout(ok, STRINGS_WAIT))]);
      done = await super.getUpdateComplete();
    }
    return done;
  }

  /** The translation in force. */
  protected get t(): Translation {
    return this.localize.t;
  }

  /** The text direction: the element's or an ancestor's `dir`, else the language's. */
  protected get direction(): 'ltr' | 'rtl' {
    const own = this.closest('[dir]')?.getAttribute('dir');
    return own === 'rtl' || own === 'ltr' ? own : this.t.$dir;
  }

  /** Dispatches an `oss-*` event on the element (bubbles, composed). False if a listener cancelled it. */
  protected emit<K extends OssEventName>(name: K, detail: DetailOf<K>, cancelable = false): boolean {
    return emit(this, name, detail, cancelable);
  }
}
