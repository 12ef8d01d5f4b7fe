/**
 * Saves text as a file through the browser's download: a save dialog in the
 * desktop app (Electron asks where to put a download), a download in
 * browser mode. No file system access is needed in the window.
 */

/** Long enough for the save dialog to take the bytes; the URL only pins a few megabytes. */
const REVOKE_AFTER_MS = 60_000;

export function downloadText(fileName: string, text: string, mimeType: string): void {
  downloadBlob(fileName, new Blob([text], { type: `${mimeType};charset=utf-8` }));
}

/** The same for bytes already in a Blob (an export gathered in parts). */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  // Firefox only follows a link that is in the document.
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
