/// <reference types="electron-vite/node" />
/**
 * The tray icon's files, imported as `?asset` so that electron-vite copies
 * each one into out/main/chunks/ (which electron-builder packs, as it packs
 * all of out/) and this module gets its absolute path at run time, inside
 * app.asar too. Rendered from assets/tray/tray.svg by `npm run icons`.
 *
 * Built names carry a content hash (running-1a2b3c.png), so Electron's
 * `@2x` and `Template` file-name conventions cannot apply: tray.ts adds the
 * HiDPI representation and the template flag itself.
 */
import running from '../../assets/tray/running.png?asset';
import running2x from '../../assets/tray/running@2x.png?asset';
import runningTemplate from '../../assets/tray/runningTemplate.png?asset';
import runningTemplate2x from '../../assets/tray/runningTemplate@2x.png?asset';
import stopped from '../../assets/tray/stopped.png?asset';
import stopped2x from '../../assets/tray/stopped@2x.png?asset';
import stoppedTemplate from '../../assets/tray/stoppedTemplate.png?asset';
import stoppedTemplate2x from '../../assets/tray/stoppedTemplate@2x.png?asset';

/** One icon at 1x (16px) and 2x (32px). */
export interface IconFiles {
  x1: string;
  x2: string;
}

export interface TrayIconSet {
  /** Black on transparent: the macOS menu bar recolours it for light, dark and highlighted. */
  template: { running: IconFiles; stopped: IconFiles };
  /** Windows and Linux, whose panels show icons as they are. */
  colour: { running: IconFiles; stopped: IconFiles };
}

export const TRAY_ICONS: TrayIconSet = {
  template: {
    running: { x1: runningTemplate, x2: runningTemplate2x },
    stopped: { x1: stoppedTemplate, x2: stoppedTemplate2x },
  },
  colour: {
    running: { x1: running, x2: running2x },
    stopped: { x1: stopped, x2: stopped2x },
  },
};
