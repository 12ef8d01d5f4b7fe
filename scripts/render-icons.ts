/**
 * Renders assets/icon.svg into the icon files packaging uses, in
 * assets/icons/:
 *
 *   NxN.png    16..1024, the Linux icon set (electron-builder reads the size
 *              from the name)
 *   icon.ico   Windows, PNG entries 16..256
 *   icon.icns  macOS, PNG entries 32..1024
 *   icon.png   512px, for a window icon or anything that wants one file
 *
 * and assets/tray/tray.svg into the tray (menu bar) icons, in assets/tray/:
 *
 *   running.png, stopped.png                    Windows and Linux, 16px
 *   runningTemplate.png, stoppedTemplate.png    macOS template images, 16pt
 *   …@2x.png                                    each at 32px, for HiDPI
 *
 * Run `npm run icons` after editing the SVG and commit the output: packaging
 * reads these files as they are and never renders anything itself.
 *
 * Chromium draws every size from the vector (rather than shrinking the
 * 1024px image) so small sizes stay crisp and the SVG's small-size variant
 * applies. It runs through playwright-core against an installed Chromium, so
 * nothing is downloaded; set CHROMIUM_PATH where it is not /usr/bin/chromium.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';
import { encodeIcns, encodeIco, readPngSize, type IcnsType } from './icon-formats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = path.join(ROOT, 'assets', 'icon.svg');
const OUT_DIR = path.join(ROOT, 'assets', 'icons');
const TRAY_DIR = path.join(ROOT, 'assets', 'tray');
const TRAY_SOURCE = path.join(TRAY_DIR, 'tray.svg');

const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
type PngSize = (typeof PNG_SIZES)[number];

const ICO_SIZES: readonly PngSize[] = [16, 24, 32, 48, 64, 128, 256];
const ICNS_ELEMENTS: readonly { type: IcnsType; size: PngSize }[] = [
  { type: 'ic11', size: 32 },
  { type: 'ic12', size: 64 },
  { type: 'ic07', size: 128 },
  { type: 'ic13', size: 256 },
  { type: 'ic08', size: 256 },
  { type: 'ic14', size: 512 },
  { type: 'ic09', size: 512 },
  { type: 'ic10', size: 1024 },
];
const SINGLE_ICON_SIZE: PngSize = 512;

/**
 * Draws the SVG as an image at exactly size x size CSS pixels at device scale
 * 1, so one CSS pixel is one PNG pixel and the SVG's media queries see the
 * real size. As an <img> the SVG cannot run script or fetch anything.
 */
async function renderPng(browser: Browser, svg: string, size: number): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
  try {
    const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    await page.setContent(
      `<!doctype html><style>html,body{margin:0;background:transparent}img{display:block}</style>` +
        `<img src="${src}" width="${size}" height="${size}" alt="">`,
    );
    // A string, not a function: the Node-side tsconfig has no DOM types.
    await page.evaluate('document.images[0].decode()');
    const png = await page.screenshot({
      omitBackground: true,
      clip: { x: 0, y: 0, width: size, height: size },
    });
    const actual = readPngSize(png);
    if (actual.width !== size || actual.height !== size) {
      throw new Error(`rendered ${actual.width}x${actual.height} for ${size}px`);
    }
    return png;
  } finally {
    await page.close();
  }
}

/** The tray icon's variants: the server's two states, each in colour and as a macOS template. */
const TRAY_STATES = ['running', 'stopped'] as const;
const TRAY_LOOKS = ['colour', 'template'] as const;
/** 16px, and 32px for the @2x (HiDPI) representation; electron/main/tray.ts loads both. */
const TRAY_SCALES = [
  { size: 16, suffix: '' },
  { size: 32, suffix: '@2x' },
] as const;

/** tray.svg with its root's data-state and data-look set to one variant. */
function trayVariant(svg: string, state: string, look: string): string {
  let replaced = 0;
  const set = (text: string, name: string, value: string): string =>
    text.replace(new RegExp(`(<svg[^>]*\\s${name}=")[^"]*(")`), (_match, before: string, after: string) => {
      replaced++;
      return `${before}${value}${after}`;
    });
  const variant = set(set(svg, 'data-state', state), 'data-look', look);
  // A renamed attribute would otherwise render the same variant four times.
  if (replaced !== 2) throw new Error(`${TRAY_SOURCE}: the <svg> element needs data-state and data-look`);
  return variant;
}

/** Renders every tray variant; returns file name → PNG bytes. */
async function renderTray(browser: Browser): Promise<Map<string, Buffer>> {
  const svg = await readFile(TRAY_SOURCE, 'utf8');
  const outputs = new Map<string, Buffer>();
  for (const state of TRAY_STATES) {
    for (const look of TRAY_LOOKS) {
      const variant = trayVariant(svg, state, look);
      for (const { size, suffix } of TRAY_SCALES) {
        const name = `${state}${look === 'template' ? 'Template' : ''}${suffix}.png`;
        outputs.set(name, await renderPng(browser, variant, size));
      }
    }
  }
  return outputs;
}

async function main(): Promise<void> {
  const svg = await readFile(SOURCE, 'utf8');
  await mkdir(OUT_DIR, { recursive: true });

  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  const pngs = new Map<PngSize, Buffer>();
  let tray: Map<string, Buffer>;
  try {
    for (const size of PNG_SIZES) pngs.set(size, await renderPng(browser, svg, size));
    tray = await renderTray(browser);
  } finally {
    await browser.close();
  }
  const png = (size: PngSize): Buffer => {
    const bytes = pngs.get(size);
    if (bytes === undefined) throw new Error(`no ${size}px rendering`);
    return bytes;
  };

  const outputs = new Map<string, Buffer>();
  for (const size of PNG_SIZES) outputs.set(`${size}x${size}.png`, png(size));
  outputs.set('icon.png', png(SINGLE_ICON_SIZE));
  outputs.set('icon.ico', encodeIco(ICO_SIZES.map(png)));
  outputs.set('icon.icns', encodeIcns(ICNS_ELEMENTS.map(({ type, size }) => ({ type, png: png(size) }))));

  const files = [
    ...[...outputs].map(([name, bytes]) => [path.join(OUT_DIR, name), bytes] as const),
    ...[...tray].map(([name, bytes]) => [path.join(TRAY_DIR, name), bytes] as const),
  ];
  for (const [file, bytes] of files) {
    await writeFile(file, bytes);
    console.log(`${path.relative(ROOT, file)}  ${bytes.length} bytes`);
  }
}

await main();
