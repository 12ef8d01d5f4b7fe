/**
 * The tray icon (the menu bar item on macOS): shows at a glance whether the
 * server runs, and offers Start, Stop, the window and Quit without it.
 *
 * It follows the server's 'status' event, so it is right whoever started or
 * stopped the server: the window, the app menu or the tray itself.
 */
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { ServerStatus } from '../shared/ipc/models.js';
import { availableActions, type RunAppAction, type ShellServer } from './app-actions.js';
import type { IconFiles, TrayIconSet } from './tray-icons.js';

export interface TrayOptions {
  icons: TrayIconSet;
  platform: NodeJS.Platform;
  server: Pick<ShellServer, 'status' | 'on'>;
  run: RunAppAction;
  showWindow: () => void;
  /** app.quit(), which stops the server before the app ends (lifecycle.ts). */
  quit: () => void;
}

/** The tooltip: `Switchboard: Running on HOST:PORT`, `Switchboard: Stopped`. */
export function trayToolTip(status: ServerStatus): string {
  // A failed start leaves the server stopped; the menu's status line says why.
  const text = status.state === 'failed' || status.state === 'stopped' ? 'Stopped' : status.text;
  return `Switchboard: ${text}`;
}

/** The status line's longest text: a start error can be long, and a menu item is one line. */
export const STATUS_LINE_MAX = 80;

export function trayMenuTemplate(status: ServerStatus, options: TrayOptions): MenuItemConstructorOptions[] {
  const can = availableActions(status);
  const statusLine = status.state === 'failed' ? `Could not start: ${status.text}` : status.text;
  const notes: MenuItemConstructorOptions[] = status.warning
    ? [{ id: 'warning', label: `⚠ ${shorten(status.warning)}`, enabled: false }]
    : [];
  return [
    // Disabled: a line to read, not a command.
    { id: 'status', label: shorten(statusLine), enabled: false },
    ...notes,
    { type: 'separator' },
    { id: 'start', label: 'Start', enabled: can.start, click: () => options.run('start') },
    { id: 'stop', label: 'Stop', enabled: can.stop, click: () => options.run('stop') },
    { type: 'separator' },
    { id: 'show', label: 'Show window', click: () => options.showWindow() },
    { type: 'separator' },
    { id: 'quit', label: 'Quit', click: () => options.quit() },
  ];
}

/** Every tray made, held here for the app's lifetime: a Tray that is garbage-collected vanishes. */
const trays = new Set<Tray>();

/** Creates the tray icon and keeps it in step with the server. */
export function setupTray(options: TrayOptions): Tray {
  const mac = options.platform === 'darwin';
  const looks = mac ? options.icons.template : options.icons.colour;
  const images = {
    running: trayImage(looks.running, mac),
    stopped: trayImage(looks.stopped, mac),
  };
  const imageFor = (status: ServerStatus): NativeImage =>
    status.state === 'running' ? images.running : images.stopped;

  const tray = new Tray(imageFor(options.server.status));
  trays.add(tray);
  const show = (status: ServerStatus): void => {
    tray.setImage(imageFor(status));
    tray.setToolTip(trayToolTip(status));
    // Linux applies a changed menu only when it is set again, so it is rebuilt each time.
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(status, options)));
  };
  show(options.server.status);
  options.server.on('status', show);
  // Windows (and Linux panels that report clicks) open the window on a click,
  // as their users expect; on macOS a click opens the menu.
  if (!mac) tray.on('click', () => options.showWindow());
  return tray;
}

/**
 * One icon with its 1x and 2x pixels, as a template image on macOS. A file
 * that cannot be read gives an empty image and a warning, not a crash: the
 * app is still usable without its tray icon.
 */
export function trayImage(files: IconFiles, template: boolean): NativeImage {
  const image = nativeImage.createFromPath(files.x1);
  const hiDpi = nativeImage.createFromPath(files.x2);
  if (!hiDpi.isEmpty()) image.addRepresentation({ scaleFactor: 2, buffer: hiDpi.toPNG() });
  if (template) image.setTemplateImage(true);
  if (image.isEmpty()) console.warn(`tray: could not read the icon ${files.x1}`);
  return image;
}

function shorten(text: string): string {
  return text.length <= STATUS_LINE_MAX ? text : `${text.slice(0, STATUS_LINE_MAX - 1)}…`;
}
