/**
 * Decides whether an IPC request comes from our own window.
 *
 * Only our page, in the top frame of our one window, may drive the server.
 * Anything else (a frame that navigated elsewhere, another webContents, an
 * embedded frame) is refused before its payload is even looked at.
 */
import { isAppPageUrl, type AppPage } from './app-page.js';

/** The parts of Electron's IpcMainInvokeEvent a trust check reads. */
export interface SenderInfo {
  readonly sender: unknown;
  /** null once the frame has navigated away or been destroyed. */
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

export type SenderCheck = (event: SenderInfo) => boolean;

/**
 * @param trustedContents returns the main window's webContents, or undefined
 *   while there is no window; read at each request, because on macOS the
 *   window can be closed and opened again while the app runs.
 */
export function createSenderCheck(page: AppPage, trustedContents: () => object | undefined): SenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    if (frame === null || frame.parent !== null) return false;
    const contents = trustedContents();
    return contents !== undefined && event.sender === contents && isAppPageUrl(page, frame.url);
  };
}
