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
  AddRepresentationOptions,
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
  KeyboardEvent,
  MenuItem,
  MenuItemConstructorOptions,
  MessageBoxOptions,
  MessageBoxReturnValue,
  NativeImage,
  Notification,
  NotificationConstructorOptions,
  OnHeadersReceivedListenerDetails,
  RenderProcessGoneDetails,
  Session,
  Shell,
  Tray,
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
      'id' | 'send' | 'isDestroyed' | 'loadURL' | 'loadFile' | 'setWindowOpenHandler' | 'getURL' | 'reload'
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
  /** Reloads the page it shows (the same URL), as after a renderer crash. */
  readonly reload = vi.fn<WebContents['reload']>();

  /** Plays the renderer process dying, as Electron reports it. */
  crash(reason: RenderProcessGoneDetails['reason'] = 'crashed', exitCode = 1): void {
    const details: RenderProcessGoneDetails = { reason, exitCode };
    this.emit('render-process-gone', new FakeEvent(), details);
  }

  #navigated(url: string): void {
    this.url = url;
    this.mainFrame.url = url;
  }
}

export class FakeBrowserWindow
  extends EventEmitter
  implements
    Pick<
      BrowserWindow,
      | 'isDestroyed'
      | 'isMinimized'
      | 'isVisible'
      | 'restore'
      | 'show'
      | 'hide'
      | 'minimize'
      | 'focus'
      | 'close'
    >
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
  readonly hide = vi.fn<BrowserWindow['hide']>(() => {
    this.visible = false;
  });
  readonly minimize = vi.fn<BrowserWindow['minimize']>(() => {
    this.minimized = true;
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
      | 'name'
      | 'setAppUserModelId'
    >
{
  isPackaged = false;
  name = 'Switchboard';
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
  readonly setAppUserModelId = vi.fn<App['setAppUserModelId']>();

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

/**
 * A Menu as our code builds it: Menu.buildFromTemplate keeps the template,
 * so tests read the items our code described and click them. Electron's
 * own Menu turns the template into MenuItems; nothing of ours reads those.
 */
export class FakeMenu {
  constructor(readonly template: ReadonlyArray<MenuItemConstructorOptions | MenuItem>) {}
}

/** The template of a menu our code built (the stub's Menu made it), or an error. */
export function templateOf(menu: unknown): MenuItemConstructorOptions[] {
  if (!(menu instanceof FakeMenu)) throw new Error('not a menu built by Menu.buildFromTemplate');
  return menu.template as MenuItemConstructorOptions[];
}

/** Every item of a template, submenus included, depth first. */
export function allMenuItems(template: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? allMenuItems(item.submenu) : []),
  ]);
}

/** The item with `id`, anywhere in the template; throws when there is none. */
export function menuItem(
  template: readonly MenuItemConstructorOptions[],
  id: string,
): MenuItemConstructorOptions {
  const found = allMenuItems(template).find((item) => item.id === id);
  if (!found) throw new Error(`no menu item '${id}'`);
  return found;
}

/** Clicks an item as Electron does (its own MenuItem, no window, no keys held). */
export function clickMenuItem(item: MenuItemConstructorOptions): void {
  if (!item.click) throw new Error(`menu item '${item.id ?? item.label ?? '?'}' has no click handler`);
  // Our handlers read none of the three arguments.
  const noKeys: KeyboardEvent = {};
  item.click(item as unknown as MenuItem, undefined, noKeys);
}

/** nativeImage's images: where each came from and what was done to it. */
export class FakeNativeImage implements Pick<
  NativeImage,
  'addRepresentation' | 'setTemplateImage' | 'isTemplateImage' | 'isEmpty' | 'toPNG'
> {
  template = false;
  readonly representations: AddRepresentationOptions[] = [];
  /** Set by a test to play a file that could not be read. */
  empty = false;

  constructor(readonly path: string) {}

  readonly addRepresentation = vi.fn<NativeImage['addRepresentation']>((options) => {
    this.representations.push(options);
  });
  readonly setTemplateImage = vi.fn<NativeImage['setTemplateImage']>((option) => {
    this.template = option;
  });
  readonly isTemplateImage = vi.fn<NativeImage['isTemplateImage']>(() => this.template);
  readonly isEmpty = vi.fn<NativeImage['isEmpty']>(() => this.empty || this.path === '');
  /** The "PNG bytes" name the file they came from, so a test can tell images apart. */
  readonly toPNG = vi.fn<NativeImage['toPNG']>(() => Buffer.from(`png:${this.path}`));
}

/** A tray icon: what it shows (image, tooltip, menu) and the events it emits. */
export class FakeTray
  extends EventEmitter
  implements Pick<Tray, 'setToolTip' | 'setImage' | 'setContextMenu' | 'destroy' | 'isDestroyed'>
{
  image: NativeImage | string;
  toolTip = '';
  /** What setContextMenu was last given: a FakeMenu (read it with templateOf), or null. */
  contextMenu: unknown = null;
  destroyed = false;

  constructor(image: NativeImage | string) {
    super();
    this.image = image;
  }

  readonly setToolTip = vi.fn<Tray['setToolTip']>((toolTip) => {
    this.toolTip = toolTip;
  });
  readonly setImage = vi.fn<Tray['setImage']>((image) => {
    this.image = image;
  });
  readonly setContextMenu = vi.fn<Tray['setContextMenu']>((menu) => {
    this.contextMenu = menu;
  });
  readonly destroy = vi.fn<Tray['destroy']>(() => {
    this.destroyed = true;
  });
  readonly isDestroyed = vi.fn<Tray['isDestroyed']>(() => this.destroyed);
}

/** A desktop notification: its options, whether it was shown; 'click' comes from `emit`. */
export class FakeNotification extends EventEmitter implements Pick<Notification, 'show' | 'close'> {
  shown = false;
  constructor(readonly options: NotificationConstructorOptions = {}) {
    super();
  }
  readonly show = vi.fn<Notification['show']>(() => {
    this.shown = true;
  });
  readonly close = vi.fn<Notification['close']>();
}

type ShowMessageBox = (options: MessageBoxOptions) => Promise<MessageBoxReturnValue>;

export type ElectronStub = ReturnType<typeof createElectronStub>;

/** A fresh set of fakes, and `module`: what `vi.mock('electron', …)` should return. */
export function createElectronStub() {
  const app = new FakeApp();
  const defaultSession = new FakeSession();
  const windows: FakeBrowserWindow[] = [];
  /**
   * Set loadError to make the pages of windows made from now on fail to
   * load; notificationsSupported to play a desktop without notifications;
   * unreadableImages to make nativeImage's files unreadable (empty images).
   */
  const control: {
    loadError: Error | undefined;
    notificationsSupported: boolean;
    unreadableImages: boolean;
  } = {
    loadError: undefined,
    notificationsSupported: true,
    unreadableImages: false,
  };

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

  const trays: FakeTray[] = [];
  class StubTray extends FakeTray {
    constructor(image: NativeImage | string) {
      super(image);
      trays.push(this);
    }
  }

  const notifications: FakeNotification[] = [];
  class StubNotification extends FakeNotification {
    constructor(options?: NotificationConstructorOptions) {
      super(options);
      notifications.push(this);
    }
    static isSupported(): boolean {
      return control.notificationsSupported;
    }
  }

  const images: FakeNativeImage[] = [];
  const nativeImage = {
    createFromPath: vi.fn((file: string) => {
      const image = new FakeNativeImage(file);
      image.empty = control.unreadableImages;
      images.push(image);
      return image;
    }),
  };

  /** The application menu: what Menu.setApplicationMenu was last given. */
  const menu: { application: FakeMenu | null } = { application: null };
  const Menu = {
    buildFromTemplate: vi.fn(
      (template: ReadonlyArray<MenuItemConstructorOptions | MenuItem>) => new FakeMenu(template),
    ),
    setApplicationMenu: vi.fn((built: FakeMenu | null) => {
      menu.application = built;
    }),
    getApplicationMenu: vi.fn(() => menu.application),
  };

  const ipcMain = new FakeIpcMain();
  const ipcRenderer = new FakeIpcRenderer();
  const contextBridge = new FakeContextBridge();
  const shell = { openExternal: vi.fn<Shell['openExternal']>(() => Promise.resolve()) };
  const dialog = {
    showErrorBox: vi.fn<Dialog['showErrorBox']>(),
    // The first button, unless a test answers otherwise.
    showMessageBox: vi.fn<ShowMessageBox>(() => Promise.resolve({ response: 0, checkboxChecked: false })),
  };
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
    Menu,
    Tray: StubTray,
    Notification: StubNotification,
    nativeImage,
  } satisfies Partial<Record<keyof typeof ElectronModule, unknown>>;

  return {
    module,
    control,
    app,
    windows,
    trays,
    notifications,
    images,
    menu,
    Menu,
    nativeImage,
    ipcMain,
    ipcRenderer,
    contextBridge,
    shell,
    dialog,
    nativeTheme,
    session,
  };
}
