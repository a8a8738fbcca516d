// Lesson files into the browser: the texts of chosen files (downloads: shell/download.ts).
import type { ImportedFile } from '../userLessons.ts';

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
