// Lesson files in and out of the browser: a download of a text, and the texts of chosen files.
import type { ImportedFile } from '../userLessons.ts';

/** Starts the download of `text` as a file named `name`. */
export function downloadText(text: string, name: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by then; the URL is not needed after.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The chosen files' texts; a file that cannot be read comes back with the reason instead. */
export async function readChosenFiles(files: FileList | readonly File[]): Promise<{ read: ImportedFile[]; failed: { file: string; reason: string }[] }> {
  const read: ImportedFile[] = [];
  const failed: { file: string; reason: string }[] = [];
  for (const file of Array.from(files)) {
    try {
      read.push({ name: file.name, text: await file.text() });
    } catch (e) {
      failed.push({ file: file.name, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { read, failed };
}
