// Saving something as a file from the page: the browser downloads it (world files, dump.rdb,
// lesson progress, lesson files).

/** Starts the download of `data` (text or bytes) as a file named `name`. */
export function downloadFile(data: string | Uint8Array, name: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([data as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by then; the URL is not needed after.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A file name's date part: local time, sortable, no characters file systems refuse. */
export function fileStamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}_${p(d.getHours())}-${p(d.getMinutes())}-${p(d.getSeconds())}`;
}
