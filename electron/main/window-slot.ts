/**
 * Keeps the app to one window: hands out the current one, and opens it when
 * asked while there is none (at launch, on a macOS Dock click, on a second
 * launch after the window was closed).
 */
import type { BrowserWindow } from 'electron';
import { revealWindow } from './window.js';

export class WindowSlot {
  #window: BrowserWindow | undefined;
  #open: (() => BrowserWindow) | undefined;

  /** The open window, or undefined when there is none. */
  get current(): BrowserWindow | undefined {
    return this.#window?.isDestroyed() === false ? this.#window : undefined;
  }

  /** Lets show() open a window; set once the services the window talks to are ready. */
  setOpener(open: () => BrowserWindow): void {
    this.#open = open;
  }

  /**
   * Brings the window forward, or opens it when there is none. Before
   * setOpener it does nothing: the window opens as soon as the app is ready.
   */
  show(): void {
    const current = this.current;
    if (current) {
      revealWindow(current);
      return;
    }
    if (!this.#open) return;
    const win = this.#open();
    this.#window = win;
    win.once('closed', () => {
      if (this.#window === win) this.#window = undefined;
    });
  }
}
