/**
 * A stand-in for the `electron` module, for unit tests of main and preload.
 *
 * Electron does not run under plain Node, and importing the real package
 * from Node returns its binary's path (downloading the binary when it is
 * missing), so no test may load it. Each fake implements the part of
 * Electron's own type that our code uses (`implements Pick<…>`,
 * `vi.fn<Electron's signature>`), so a fake that drifts from Electron's
 * API fails to compile rather than passing a test it should not.
 *
 * Usage, in a test file:
 *
 *   const electron = await vi.hoisted(async () =>
 *     (await import('../helpers/electron-stub.js')).createElectronStub(),
 *   );
 *   vi.mock('electron', () => electron.module);
 *
 * or, for a module that must be evaluated afresh in each test, a new stub
 * per test with `vi.resetModules()` and `vi.doMock('electron', …)`.
 */
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { vi } from 'vitest';
import type {
  App,
  BrowserWindow,
  BrowserWindowConstructorOptions,
  ContextBridge,
  Dialog,
  HandlerDetails,
  HeadersReceivedResponse,
  IpcMain,
  IpcMainInvokeEvent,
  IpcRenderer,
  OnHeadersReceivedListenerDetails,
  Session,
  Shell,
  WebContents,
} from 'electron';
import type * as ElectronModule from 'electron';

/** An Electron event: what handlers call preventDefault on, with the details some events carry. */
export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  readonly preventDefault = vi.fn(() => {
    this.defaultPrevented = true;
  });
}

/** A renderer frame as main sees it (WebFrameMain): its URL and whether it is the top frame. */
export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

type HeadersListener = (
  details: OnHeadersReceivedListenerDetails,
  callback: (response: HeadersReceivedResponse) => void,
) => void;
type PermissionRequestHandler = Parameters<Session['setPermissionRequestHandler']>[0];
type PermissionCheckHandler = Parameters<Session['setPermissionCheckHandler']>[0];
type DevicePermissionHandler = Parameters<Session['setDevicePermissionHandler']>[0];

export class FakeSession implements Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
> {
  permissionRequestHandler: PermissionRequestHandler = null;
  permissionCheckHandler: PermissionCheckHandler = null;
  devicePermissionHandler: DevicePermissionHandler = null;
  headersListener: HeadersListener | null = null;

  readonly setPermissionRequestHandler = vi.fn<Session['setPermissionRequestHandler']>((handler) => {
    this.permissionRequestHandler = handler;
  });
  readonly setPermissionCheckHandler = vi.fn<Session['setPermissionCheckHandler']>((handler) => {
    this.permissionCheckHandler = handler;
  });
  readonly setDevicePermissionHandler = vi.fn<Session['setDevicePermissionHandler']>((handler) => {
    this.devicePermissionHandler = handler;
  });
  readonly webRequest = {
    onHeadersReceived: vi.fn((listener: HeadersListener | null) => {
      this.headersListener = listener;
    }),
  };
}

let nextContentsId = 1;

export class FakeWebContents
  extends EventEmitter
  implements
    Pick<
      WebContents,
      'id' | 'send' | 'isDestroyed' | 'loadURL' | 'loadFile' | 'setWindowOpenHandler' | 'getURL'
    >
{
  readonly id = nextContentsId++;
  /** What the page shows; loadURL/loadFile set it, tests may too. */
  url = '';
  destroyed = false;
  readonly mainFrame: FakeFrame = { url: '', parent: null };
  windowOpenHandler: Parameters<WebContents['setWindowOpenHandler']>[0] | undefined;

  constructor(readonly session: FakeSession) {
    super();
  }

  readonly send = vi.fn<WebContents['send']>();
  readonly isDestroyed = vi.fn<WebContents['isDestroyed']>(() => this.destroyed);
  readonly getURL = vi.fn<WebContents['getURL']>(() => this.url);
  readonly loadURL = vi.fn<WebContents['loadURL']>((url) => {
    this.#navigated(url);
    return Promise.resolve();
  });
  readonly loadFile = vi.fn<WebContents['loadFile']>((file) => {
    this.#navigated(pathToFileURL(file).href);
    return Promise.resolve();
  });
  readonly setWindowOpenHandler = vi.fn<WebContents['setWindowOpenHandler']>((handler) => {
    this.windowOpenHandler = handler;
  });

  #navigated(url: string): void {
    this.url = url;
    this.mainFrame.url = url;
  }
}

export class FakeBrowserWindow
  extends EventEmitter
  implements
    Pick<BrowserWindow, 'isDestroyed' | 'isMinimized' | 'isVisible' | 'restore' | 'show' | 'focus' | 'close'>
{
  readonly options: BrowserWindowConstructorOptions;
  readonly webContents: FakeWebContents;
  destroyed = false;
  minimized = false;
  visible = false;
  focused = false;

  constructor(options: BrowserWindowConstructorOptions = {}, session = new FakeSession()) {
    super();
    this.options = options;
    this.webContents = new FakeWebContents(session);
  }

  readonly isDestroyed = vi.fn<BrowserWindow['isDestroyed']>(() => this.destroyed);
  readonly isMinimized = vi.fn<BrowserWindow['isMinimized']>(() => this.minimized);
  readonly isVisible = vi.fn<BrowserWindow['isVisible']>(() => this.visible);
  readonly restore = vi.fn<BrowserWindow['restore']>(() => {
    this.minimized = false;
  });
  readonly show = vi.fn<BrowserWindow['show']>(() => {
    this.visible = true;
  });
  readonly focus = vi.fn<BrowserWindow['focus']>(() => {
    this.focused = true;
  });
  /** Closes as Electron does: 'close', then the window and its contents are gone, then 'closed'. */
  readonly close = vi.fn<BrowserWindow['close']>(() => {
    if (this.destroyed) return;
    this.emit('close', new FakeEvent());
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  });
}

/** app: lifecycle events come from `emit`; `markReady()` plays Electron's 'ready'. */
export class FakeApp
  extends EventEmitter
  implements
    Pick<
      App,
      | 'requestSingleInstanceLock'
      | 'quit'
      | 'exit'
      | 'getPath'
      | 'setPath'
      | 'whenReady'
      | 'isReady'
      | 'isPackaged'
    >
{
  isPackaged = false;
  /** Whether requestSingleInstanceLock succeeds; false plays a second launch. */
  hasLock = true;
  readonly paths = new Map<string, string>([['userData', '/fake/userData']]);
  #ready = false;
  #markReady: () => void = () => undefined;
  readonly #whenReady = new Promise<void>((resolve) => {
    this.#markReady = resolve;
  });

  readonly requestSingleInstanceLock = vi.fn<App['requestSingleInstanceLock']>(() => this.hasLock);
  readonly quit = vi.fn<App['quit']>();
  readonly exit = vi.fn<App['exit']>();
  readonly getPath = vi.fn<App['getPath']>((name) => this.paths.get(name) ?? `/fake/${name}`);
  readonly setPath = vi.fn<App['setPath']>((name, value) => {
    this.paths.set(name, value);
  });
  readonly whenReady = vi.fn<App['whenReady']>(() => this.#whenReady);
  readonly isReady = vi.fn<App['isReady']>(() => this.#ready);

  markReady(): void {
    this.#ready = true;
    this.#markReady();
    this.emit('ready');
  }
}

type InvokeListener = Parameters<IpcMain['handle']>[1];

/** ipcMain's request side; `invoke` plays a renderer's ipcRenderer.invoke arriving in main. */
export class FakeIpcMain implements Pick<IpcMain, 'handle' | 'removeHandler'> {
  readonly handlers = new Map<string, InvokeListener>();

  readonly handle = vi.fn<IpcMain['handle']>((channel, listener) => {
    // Electron refuses a second handler for one channel; so does the fake.
    if (this.handlers.has(channel)) {
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    }
    this.handlers.set(channel, listener);
  });
  readonly removeHandler = vi.fn<IpcMain['removeHandler']>((channel) => {
    this.handlers.delete(channel);
  });

  async invoke(event: FakeInvokeEvent, channel: string, ...args: unknown[]): Promise<unknown> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    // The one cast of the stub: our code reads only sender and senderFrame
    // (sender-trust.ts types exactly that), which FakeInvokeEvent has.
    return (await listener(event as unknown as IpcMainInvokeEvent, ...args)) as unknown;
  }
}

/** An invoke as it arrives in main: from which webContents and frame. */
export interface FakeInvokeEvent {
  sender: FakeWebContents;
  senderFrame: FakeFrame | null;
}

/** An invoke sent by the top frame of `contents`, showing `url` (its current page by default). */
export function invokeEventFrom(contents: FakeWebContents, url = contents.mainFrame.url): FakeInvokeEvent {
  return { sender: contents, senderFrame: { url, parent: null } };
}

/** What window.open hands to a window-open handler. */
export function windowOpenDetails(url: string): HandlerDetails {
  return {
    url,
    frameName: '',
    features: '',
    disposition: 'foreground-tab',
    referrer: { url: '', policy: 'default' },
  };
}

/**
 * A fake webContents where Electron's type is required (a permission
 * handler's first argument). The handlers under test never read it.
 */
export function asWebContents(fake: FakeWebContents): WebContents {
  return fake as unknown as WebContents;
}

/** ipcRenderer: `emit(channel, event, payload)` plays a message from main. */
export class FakeIpcRenderer extends EventEmitter implements Pick<IpcRenderer, 'invoke'> {
  readonly invoke = vi.fn<IpcRenderer['invoke']>(() => Promise.resolve(undefined));
}

export class FakeContextBridge implements Pick<ContextBridge, 'exposeInMainWorld'> {
  readonly exposed = new Map<string, unknown>();
  readonly exposeInMainWorld = vi.fn<ContextBridge['exposeInMainWorld']>((key, api: unknown) => {
    this.exposed.set(key, api);
  });
}

export type ElectronStub = ReturnType<typeof createElectronStub>;

/** A fresh set of fakes, and `module`: what `vi.mock('electron', …)` should return. */
export function createElectronStub() {
  const app = new FakeApp();
  const defaultSession = new FakeSession();
  const windows: FakeBrowserWindow[] = [];
  /** Set to make the pages of windows made from now on fail to load. */
  const control: { loadError: Error | undefined } = { loadError: undefined };

  /** Records every window made, and announces its contents as Electron does. */
  class StubBrowserWindow extends FakeBrowserWindow {
    constructor(options?: BrowserWindowConstructorOptions) {
      super(options, defaultSession);
      windows.push(this);
      if (control.loadError) {
        this.webContents.loadFile.mockRejectedValue(control.loadError);
        this.webContents.loadURL.mockRejectedValue(control.loadError);
      }
      app.emit('web-contents-created', new FakeEvent(), this.webContents);
    }

    static getAllWindows(): FakeBrowserWindow[] {
      return windows.filter((w) => !w.destroyed);
    }
  }

  const ipcMain = new FakeIpcMain();
  const ipcRenderer = new FakeIpcRenderer();
  const contextBridge = new FakeContextBridge();
  const shell = { openExternal: vi.fn<Shell['openExternal']>(() => Promise.resolve()) };
  const dialog = { showErrorBox: vi.fn<Dialog['showErrorBox']>() };
  const nativeTheme = { shouldUseDarkColors: false };
  const session = { defaultSession };

  // Keys are checked against the real module's exports, so a misspelt
  // export fails to compile here instead of being undefined in a test.
  const module = {
    app,
    BrowserWindow: StubBrowserWindow,
    ipcMain,
    ipcRenderer,
    contextBridge,
    shell,
    dialog,
    nativeTheme,
    session,
  } satisfies Partial<Record<keyof typeof ElectronModule, unknown>>;

  return {
    module,
    control,
    app,
    windows,
    ipcMain,
    ipcRenderer,
    contextBridge,
    shell,
    dialog,
    nativeTheme,
    session,
  };
}
