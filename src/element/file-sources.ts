/**
 * Files from a drop or a paste. Dropped folders are walked recursively
 * (`DataTransferItem.webkitGetAsEntry`), and each file found in one keeps its path relative
 * to the drop (`photos/2024/a.jpg`) in `webkitRelativePath`, which the default object key uses.
 */

/**
 * The files of `dt`. The entries are taken synchronously (a DataTransfer is emptied once its
 * event is over); the folders are then read asynchronously.
 */
export function filesFromDataTransfer(dt: DataTransfer | null | undefined): Promise<File[]> {
  if (!dt) return Promise.resolve([]);
  const sources: (File | FileSystemDirectoryEntry)[] = [];
  const items = dt.items ? Array.from(dt.items).filter((i) => i.kind === 'file') : [];
  if (items.length > 0) {
    for (const item of items) {
      const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
      if (entry?.isDirectory) {
        sources.push(entry as FileSystemDirectoryEntry);
      } else {
        const file = item.getAsFile();
        if (file) sources.push(file);
      }
    }
  } else {
    sources.push(...Array.from(dt.files ?? []));
  }
  return Promise.all(sources.map((s) => (s instanceof Blob ? [s] : walkDirectory(s)))).then((lists) => lists.flat());
}

/** Every file under `dir`, depth first, each with its path from the dropped folder on. */
export async function walkDirectory(dir: FileSystemDirectoryEntry): Promise<File[]> {
  const out: File[] = [];
  for (const entry of await readAll(dir)) {
    if (entry.isDirectory) {
      out.push(...(await walkDirectory(entry as FileSystemDirectoryEntry)));
    } else if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      out.push(withRelativePath(file, entry.fullPath.replace(/^\/+/, '')));
    }
  }
  return out;
}

/** `readEntries` answers in batches (100 in Chromium) until an empty one. */
async function readAll(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** Gives `file` its relative path (the File is not copied). */
export function withRelativePath(file: File, path: string): File {
  if (path && path !== file.name && file.webkitRelativePath !== path) {
    Object.defineProperty(file, 'webkitRelativePath', { value: path, configurable: true, enumerable: true });
  }
  return file;
}

/** The name to show for a file: its relative path when it came in a folder. */
export function displayName(file: File): string {
  return file.webkitRelativePath || file.name || 'blob';
}
