/**
 * How files come into `<oss-uploader>`, as a reactive controller: the file picker, drops
 * (folders too), pastes on the element and, opted into with `paste-target`, on the page,
 * then the restrictions (type, size, count, duplicates), the cancelable `oss-files-added`,
 * and the messages about files that were not added. The element renders; this decides.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { emit } from './events.js';
import { filesFromDataTransfer } from './file-sources.js';
import type { LocalizeController } from './localize.js';
import { acceptList, applyRestrictions, fileIdentity, type Rejection } from './restrictions.js';

/** What the element offers the intake. */
export interface IntakeHost extends ReactiveControllerHost, HTMLElement {
  accept: string;
  maxFileSize: number | undefined;
  maxFiles: number | undefined;
  multiple: boolean;
  /** `document`, or the id of an element in the same document or shadow root, whose pastes reach this element. */
  pasteTarget: string;
}

export interface IntakeHooks {
  /** The files in the list that count towards the limits. */
  listed(): File[];
  /** Whether the element takes files now (not disabled). */
  enabled(): boolean;
  /** Adds the accepted files to the list. */
  add(files: File[]): Promise<void>;
  /** Says something in the live region. */
  announce(message: string): void;
}

/**
 * A message about files that were not added. It stays until dismissed, until the next
 * files are added, or until it no longer applies (the restriction changed, the duplicate
 * left the list, the list has room again).
 */
export interface IntakeMessage {
  readonly id: number;
  /** The message in the language in force (it follows a change of language). */
  readonly text: (l: LocalizeController) => string;
  readonly applies: () => boolean;
}

let nextMessageId = 0;

export class FileIntake implements ReactiveController {
  /** Files are being dragged over the element. */
  dragging = false;
  private messageList: IntakeMessage[] = [];
  private pasteSource: EventTarget | undefined;
  private readonly onHostPaste = (e: Event) => this.onPaste(e as ClipboardEvent, false);
  private readonly onPagePaste = (e: Event) => this.onPaste(e as ClipboardEvent, true);

  constructor(
    private readonly host: IntakeHost,
    private readonly localize: LocalizeController,
    private readonly hooks: IntakeHooks,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('paste', this.onHostPaste);
    this.listenToPasteTarget();
  }

  hostDisconnected(): void {
    this.host.removeEventListener('paste', this.onHostPaste);
    this.pasteSource?.removeEventListener('paste', this.onPagePaste);
    this.pasteSource = undefined;
  }

  hostUpdate(): void {
    this.listenToPasteTarget();
    const kept = this.messageList.filter((m) => m.applies());
    if (kept.length !== this.messageList.length) this.messageList = kept;
  }

  /** The messages that still apply. */
  get messages(): readonly IntakeMessage[] {
    return this.messageList;
  }

  dismiss(id: number): void {
    this.messageList = this.messageList.filter((m) => m.id !== id);
    this.host.requestUpdate();
  }

  clearMessages(): void {
    this.messageList = [];
    this.host.requestUpdate();
  }

  /** Restrictions, then `oss-files-added`, then the list. */
  async add(files: readonly File[]): Promise<void> {
    if (!this.hooks.enabled() || files.length === 0) return;
    const t = this.localize.t;
    const listed = this.hooks.listed();
    const { accept, maxFileSize, multiple } = this.host;
    const maxFiles = multiple ? (this.host.maxFiles ?? NaN) : 1;
    const { accepted, rejected } = applyRestrictions(files, { accept, maxFileSize: maxFileSize ?? NaN, maxFiles }, {
      count: listed.length, identities: new Set(listed.map(fileIdentity)),
    });
    const messages = this.rejectionMessages(rejected);
    let toAdd = accepted;
    if (toAdd.length > 0 && !emit(this.host, 'oss-files-added', { files: [...toAdd] }, true)) {
      const count = toAdd.length;
      messages.push(message((l) => l.t.rejectedByPage(count), () => true));
      toAdd = [];
    }
    this.messageList = messages;
    for (const m of messages) this.hooks.announce(m.text(this.localize));
    this.host.requestUpdate();
    if (toAdd.length === 0) return;
    this.hooks.announce(t.filesAdded(toAdd.length));
    await this.hooks.add(toAdd);
  }

  private rejectionMessages(rejected: Rejection[]): IntakeMessage[] {
    const host = this.host;
    const { accept, maxFileSize, multiple } = host;
    const out: IntakeMessage[] = [];
    for (const r of rejected) {
      const name = r.file.webkitRelativePath || r.file.name;
      const size = r.file.size;
      if (r.reason === 'type') {
        out.push(message((l) => l.t.rejectedType(name, l.list(acceptList(accept))), () => host.accept === accept));
      } else if (r.reason === 'size') {
        out.push(message((l) => l.t.rejectedSize(name, l.bytes(size), l.bytes(maxFileSize ?? 0)), () => host.maxFileSize === maxFileSize));
      } else if (r.reason === 'duplicate') {
        const id = fileIdentity(r.file);
        out.push(message((l) => l.t.rejectedDuplicate(name), () => this.hooks.listed().some((f) => fileIdentity(f) === id)));
      }
    }
    const overCount = rejected.filter((r) => r.reason === 'count').length;
    if (overCount > 0) {
      const max = multiple ? (host.maxFiles ?? 0) : 1;
      // Applies while the list is full under the same limit.
      const full = () => (host.multiple ? (host.maxFiles ?? 0) : 1) === max && this.hooks.listed().length >= max;
      out.push(message((l) => l.t.rejectedCount(max, overCount), full));
    }
    return out;
  }

  // ---- sources ------------------------------------------------------------------------

  /** Files picked with an `<input type=file>` (files or a folder). */
  onInputChange(e: Event): void {
    const input = e.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    input.value = '';
    void this.add(files);
  }

  onDragOver(e: DragEvent): void {
    if (!e.dataTransfer || !Array.from(e.dataTransfer.types).includes('Files')) return;
    e.preventDefault();
    const enabled = this.hooks.enabled();
    e.dataTransfer.dropEffect = enabled ? 'copy' : 'none';
    if (enabled && !this.dragging) {
      this.dragging = true;
      this.host.requestUpdate();
    }
  }

  onDragLeave(e: DragEvent): void {
    const base = e.currentTarget as HTMLElement;
    if (!(e.relatedTarget instanceof Node) || !base.contains(e.relatedTarget)) {
      this.dragging = false;
      this.host.requestUpdate();
    }
  }

  onDrop(e: DragEvent): void {
    e.preventDefault();
    this.dragging = false;
    this.host.requestUpdate();
    if (!this.hooks.enabled()) return;
    void filesFromDataTransfer(e.dataTransfer).then((files) => this.add(files));
  }

  private onPaste(e: ClipboardEvent, fromPage: boolean): void {
    if (!this.hooks.enabled() || !e.clipboardData || e.defaultPrevented) return;
    // On the page, a paste into a field or an editor is that field's.
    if (fromPage && isEditable(e.composedPath()[0])) return;
    const data = e.clipboardData;
    const hasFiles = Array.from(data.items ?? []).some((i) => i.kind === 'file') || (data.files?.length ?? 0) > 0;
    if (!hasFiles) return;
    e.preventDefault();
    void filesFromDataTransfer(data).then((files) => this.add(files));
  }

  /** Listens to the element `paste-target` names (or the document), and stops listening to the previous one. */
  private listenToPasteTarget(): void {
    if (!this.host.isConnected) return;
    const wanted = this.pasteTargetElement();
    if (wanted === this.pasteSource) return;
    this.pasteSource?.removeEventListener('paste', this.onPagePaste);
    this.pasteSource = wanted;
    wanted?.addEventListener('paste', this.onPagePaste);
  }

  private pasteTargetElement(): EventTarget | undefined {
    const name = this.host.pasteTarget?.trim();
    if (!name) return undefined;
    if (name === 'document') return this.host.ownerDocument;
    const root = this.host.getRootNode() as Document | ShadowRoot;
    return root.getElementById?.(name) ?? undefined;
  }
}

function message(text: (l: LocalizeController) => string, applies: () => boolean): IntakeMessage {
  return { id: ++nextMessageId, text, applies };
}

function isEditable(target: EventTarget | undefined): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement) return true;
  return target instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'file', 'submit', 'reset', 'range', 'color'].includes(target.type);
}
