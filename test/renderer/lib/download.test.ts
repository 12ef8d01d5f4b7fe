import { afterEach, describe, expect, it, vi } from 'vitest';
import { downloadText } from '../../../renderer/src/lib/download';

describe('downloadText', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('clicks a download link to a blob of the text, then lets the blob go', async () => {
    vi.useFakeTimers();
    const blobs: Blob[] = [];
    // jsdom has no object URLs; these stand in for the browser's.
    const revoke = vi.fn();
    URL.createObjectURL = (blob: Blob) => {
      blobs.push(blob);
      return 'blob:fake/1';
    };
    URL.revokeObjectURL = revoke;
    const clicked: { href: string; download: string; inDocument: boolean }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download, inDocument: this.isConnected });
    });

    downloadText('log.csv', 'a,b\r\n', 'text/csv');

    expect(clicked).toEqual([{ href: 'blob:fake/1', download: 'log.csv', inDocument: true }]);
    expect(document.querySelector('a')).toBeNull();
    expect(revoke).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60_000);
    expect(revoke).toHaveBeenCalledWith('blob:fake/1');

    vi.useRealTimers();
    const blob = blobs[0];
    expect(blob?.type).toBe('text/csv;charset=utf-8');
    expect(blob ? await readText(blob) : null).toBe('a,b\r\n');
  });
});

/** jsdom's Blob has no text(); its FileReader reads one. */
function readText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsText(blob);
  });
}
