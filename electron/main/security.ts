/**
 * Locks the window down to our own page.
 *
 * The window shows only local content and needs no browser permissions, so
 * everything that could bring in other content or reach beyond the page is
 * refused: navigation elsewhere, new windows, <webview>, permission prompts.
 * These follow Electron's security checklist; webPreferences (context
 * isolation, sandbox) are set where the window is made, in window.ts.
 */
import {
  app,
  type HeadersReceivedResponse,
  type OnHeadersReceivedListenerDetails,
  type Session,
  type WebContents,
} from 'electron';
import { isAppPageUrl, type AppPage } from './app-page.js';

/** Hardens every webContents the app ever creates, from the first one on. Call before ready. */
export function setupContentsSecurity(page: AppPage): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, page));
}

/** What hardening uses of a WebContents: three of its events and its window-open handler. */
export interface HardenableContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableNavigation) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Preventable) => void): unknown;
  setWindowOpenHandler: WebContents['setWindowOpenHandler'];
}
interface Preventable {
  preventDefault(): void;
}
interface PreventableNavigation extends Preventable {
  readonly url: string;
}

export function hardenWebContents(contents: HardenableContents, page: AppPage): void {
  // Our page never navigates (it is one document); a link or script that
  // tries to is stopped, and so is a server redirect elsewhere.
  contents.on('will-navigate', (event) => {
    if (!isAppPageUrl(page, event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppPageUrl(page, event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // No second window ever, and nothing handed to the system's browser: the
  // page holds no links to other sites, so there is nothing to open.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

type HeadersListener = (
  details: OnHeadersReceivedListenerDetails,
  callback: (response: HeadersReceivedResponse) => void,
) => void;

/** The session methods hardening uses (Electron's Session has them). */
export type HardenableSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
> & { readonly webRequest: { onHeadersReceived(listener: HeadersListener | null): void } };

/** Denies every permission and adds the CSP header to http(s) responses. Call once ready. */
export function hardenSession(session: HardenableSession, page: AppPage): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);

  // The built page is a file:// document and carries its own CSP <meta>;
  // only the dev server answers over http, so the header is for `npm run dev`.
  const policy = contentSecurityPolicy(page);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!/^https?:/i.test(details.url)) {
      callback({});
      return;
    }
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
}

/**
 * The inline script @vitejs/plugin-react puts into the dev page so that
 * React Fast Refresh works; allowed by its hash rather than by allowing
 * every inline script. test/main/security.test.ts checks the hash against
 * the installed plugin, so an update that changes the script shows up there.
 */
export const REACT_REFRESH_PREAMBLE_HASH = 'sha256-Z2/iFzh9VMlVkEOar1f/oSHWwQk3ve1qk/C2WdsC4Xk=';

/**
 * The policy for pages served over http (the dev server). Scripts only from
 * the page's own origin; the dev server's hot-reload socket on that origin;
 * inline styles, because Vite injects CSS as <style> elements in development.
 */
export function contentSecurityPolicy(page: AppPage): string {
  const socket = page.kind === 'dev' ? ` ${page.origin.replace(/^http/, 'ws')}` : '';
  return [
    "default-src 'none'",
    `script-src 'self' '${REACT_REFRESH_PREAMBLE_HASH}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${socket}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "object-src 'none'",
  ].join('; ');
}
