/**
 * Localization: a registry of translations (English and Simplified Chinese built in, more
 * with {@link registerTranslation}), the language of an element (its `lang`, else the
 * nearest ancestor's across shadow roots, else the document's, else the browser's), and
 * `Intl` formatting of sizes, rates, durations and percentages in that language.
 *
 * English is in the bundle; the other built-in translations are fetched (a dynamic import)
 * the first time an element's language asks for one, and every element renders again when
 * they arrive. Until then, or if the fetch fails (offline), the element speaks English.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PartialTranslation, Translation } from './translation.js';
import { en } from './translations/en.js';

const registry = new Map<string, Translation>();
const hosts = new Set<ReactiveControllerHost & HTMLElement>();
let observer: MutationObserver | undefined;

/**
 * Adds (or replaces) translations. Strings a translation leaves out are taken from English.
 *
 * ```ts
 * registerTranslation({ $code: 'de', $name: 'Deutsch', cancel: 'Abbrechen', … });
 * ```
 */
export function registerTranslation(...translations: PartialTranslation[]): void {
  for (const t of translations) {
    const merged: Record<string, unknown> = { ...en, ...t };
    // Nested tables (`state`, `error`) may be given in part: the rest comes from English.
    for (const [k, v] of Object.entries(en)) {
      const given = (t as Record<string, unknown>)[k];
      if (given && typeof given === 'object' && v && typeof v === 'object') merged[k] = { ...v, ...given };
    }
    registry.set(t.$code.toLowerCase(), merged as unknown as Translation);
  }
  for (const host of hosts) host.requestUpdate();
}

registerTranslation(en);

/** Built-in translations other than English, by lowercase code: fetched on first use. */
const builtIn: Record<string, () => Promise<Translation>> = {
  'zh-cn': () => import('./translations/zh-cn.js').then((m) => m.zhCN),
};
const fetching = new Map<string, Promise<void>>();
/** Codes whose fetch failed (offline), by when: not asked for again before RETRY_MS, or before the browser is back online. */
const failed = new Map<string, number>();
const RETRY_MS = 30_000;

/** Of `codes` (lowercase), the one that best fits `lang`: exact, then same language. */
function bestFit(lang: string, codes: string[]): string | undefined {
  const code = lang.toLowerCase();
  if (codes.includes(code)) return code;
  const [language, ...rest] = code.split('-');
  // Chinese: Simplified for zh, zh-Hans, zh-SG and, lacking a Traditional one, the rest.
  if (language === 'zh' && !rest.some((s) => s === 'hant' || s === 'tw' || s === 'hk' || s === 'mo') && codes.includes('zh-cn')) return 'zh-cn';
  return codes.includes(language!) ? language : codes.find((k) => k.split('-')[0] === language);
}

/** The registered translation that best fits `lang` (exact, then same language), else English. */
export function translationFor(lang: string | undefined): Translation {
  const code = lang ? bestFit(lang, [...registry.keys()]) : undefined;
  return (code && registry.get(code)) || en;
}

/**
 * Fetches the built-in translation that fits `lang` better than any registered one, if there
 * is such a one and it is not here yet; resolves (never rejects) once it is registered, or
 * has failed to arrive (then it is asked for again after 30 s, or when the browser says it
 * is online again). Undefined when there is nothing to fetch.
 */
export function loadTranslation(lang: string): Promise<void> | undefined {
  const code = bestFit(lang, [...registry.keys(), ...Object.keys(builtIn)]);
  const load = code && !registry.has(code) ? builtIn[code] : undefined;
  if (!code || !load) return undefined;
  // Every render asks: after a failure, not again for a while (or until the browser is back online).
  if (performance.now() - (failed.get(code) ?? -Infinity) < RETRY_MS) return undefined;
  let pending = fetching.get(code);
  if (!pending) {
    pending = load().then(
      // A translation the page registered under this code meanwhile stays.
      (t) => { if (!registry.has(code)) registerTranslation(t); },
      () => {
        failed.set(code, performance.now());
        globalThis.addEventListener?.('online', () => {
          failed.delete(code);
          for (const host of hosts) host.requestUpdate();
        }, { once: true });
      },
    ).finally(() => fetching.delete(code));
    fetching.set(code, pending);
  }
  return pending;
}

/** The language in force for `el`: its own `lang`, an ancestor's (across shadow roots), the document's, the browser's. */
export function languageOf(el: Element): string {
  let node: Node | null = el;
  while (node) {
    if (node instanceof Element) {
      const lang = node.getAttribute('lang');
      if (lang) return lang;
    }
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return (typeof navigator === 'object' && navigator.language) || 'en';
}

/**
 * The translation and formatters of an element; re-renders the element when the document's
 * `lang` changes or translations are registered. The element's own `lang` is a reactive
 * property, so a change to it renders anyway.
 */
export class LocalizeController implements ReactiveController {
  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    hosts.add(this.host);
    if (!observer && typeof MutationObserver === 'function') {
      observer = new MutationObserver(() => {
        for (const h of hosts) h.requestUpdate();
      });
      observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang', 'dir'] });
    }
  }

  hostDisconnected(): void {
    hosts.delete(this.host);
  }

  /** Every render asks for the strings of the language in force (a switch after the first render too); registering them renders again. */
  hostUpdate(): void {
    void loadTranslation(this.lang);
  }

  /** The language tag in force, e.g. `zh-CN`. */
  get lang(): string {
    return languageOf(this.host);
  }

  /** The translation in force. */
  get t(): Translation {
    return translationFor(this.lang);
  }

  /** While the built-in translation of the language in force is being fetched, when that is done. */
  strings(): Promise<void> | undefined {
    return loadTranslation(this.lang);
  }

  /** The locale to format numbers with: the element's language if `Intl` knows it, else the translation's. */
  private get locale(): string {
    const lang = this.lang;
    try {
      return Intl.NumberFormat.supportedLocalesOf([lang]).length ? lang : this.t.$code;
    } catch {
      return this.t.$code;
    }
  }

  bytes(n: number): string {
    return formatBytes(n, this.locale);
  }

  rate(bytesPerSecond: number): string {
    return formatBytes(bytesPerSecond, this.locale, true);
  }

  duration(seconds: number): string {
    return formatDuration(seconds, this.locale);
  }

  percent(fraction: number): string {
    return cached(`p|${this.locale}`, () => new Intl.NumberFormat(this.locale, { style: 'percent', maximumFractionDigits: 0 })).format(fraction);
  }

  number(n: number): string {
    return cached(`n|${this.locale}`, () => new Intl.NumberFormat(this.locale)).format(n);
  }

  list(items: string[]): string {
    const ListFormat = (Intl as unknown as { ListFormat?: new (l: string, o: object) => { format(i: string[]): string } }).ListFormat;
    return ListFormat ? new ListFormat(this.locale, { type: 'disjunction' }).format(items) : items.join(', ');
  }

  dateTime(date: Date): string {
    return cached(`d|${this.locale}`, () => new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeStyle: 'short' })).format(date);
  }
}

const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) formatters.set(key, (f = make()));
  return f;
}

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte', 'petabyte'] as const;

/** `n` bytes (or bytes per second) with the largest decimal unit below it: `1.5 MB`, `320 kB/s`. */
export function formatBytes(n: number, locale: string, perSecond = false): string {
  let value = Math.max(0, n);
  let i = 0;
  while (value >= 1000 && i < UNITS.length - 1) {
    value /= 1000;
    i++;
  }
  const unit = perSecond ? `${UNITS[i]}-per-second` : UNITS[i]!;
  const digits = i === 0 || value >= 100 ? 0 : 1;
  // Plain bytes spelled out ("31 bytes", "31 字节"): the short form is an unpluralised "byte".
  const unitDisplay = i === 0 ? 'long' : 'short';
  return cached(`b|${locale}|${unit}|${digits}`, () =>
    new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay, maximumFractionDigits: digits }),
  ).format(value);
}

interface DurationFormatLike { format(d: Record<string, number>): string }
type DurationFormatCtor = new (locale: string, options: { style: string }) => DurationFormatLike;

/** A duration, rounded to what matters (`1 hr 5 min`, `3 min 20 sec`, `8 sec`), with Intl.DurationFormat where present. */
export function formatDuration(totalSeconds: number, locale: string): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const parts: Record<string, number> = hours > 0 ? { hours, minutes } : minutes > 0 ? { minutes, seconds } : { seconds };
  const DurationFormat = (Intl as unknown as { DurationFormat?: DurationFormatCtor }).DurationFormat;
  if (DurationFormat) {
    try {
      return new DurationFormat(locale, { style: 'short' }).format(parts);
    } catch {
      // fall through to NumberFormat units
    }
  }
  const unitName: Record<string, string> = { hours: 'hour', minutes: 'minute', seconds: 'second' };
  return Object.entries(parts)
    .filter(([, v], i) => v > 0 || i === 0)
    .map(([k, v]) => new Intl.NumberFormat(locale, { style: 'unit', unit: unitName[k]!, unitDisplay: 'short' }).format(v))
    .join(' ');
}
