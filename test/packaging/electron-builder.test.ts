/**
 * Checks electron-builder.yml the way electron-builder itself will read it,
 * without packaging anything: packaging downloads Electron, so only CI runs
 * it, and a mistake here would otherwise surface only there.
 *
 * The loader, schema validator, icon resolver and file matcher used below are
 * electron-builder's own, from app-builder-lib. They are internal modules, so
 * they are required from electron-builder's directory: that finds the exact
 * app-builder-lib version electron-builder pins, whether or not npm hoisted
 * it, and nothing here depends on app-builder-lib being a direct dependency.
 * The few shapes used are declared below; if a new version changes them,
 * this test fails loudly.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ICNS_PNG_TYPES, readIcnsElements, readIcoEntries, readPngSize } from '../../scripts/icon-formats.js';
import { ROOT } from '../helpers/process.js';

type IconFormat = 'set' | 'ico' | 'icns';

interface ConfigModule {
  /** Reads the file (YAML via js-yaml), applies `extends` and defaults, normalises `files`. */
  getConfig: (
    projectDir: string,
    configPath: string | null,
    configFromOptions: null,
  ) => Promise<Configuration>;
  /** Validates with ajv against app-builder-lib/scheme.json; rejects with the list of problems. */
  validateConfiguration: (config: Configuration, debugLogger: { isEnabled: boolean }) => Promise<void>;
}

interface IconConverterModule {
  convertIcon: (request: {
    sources: string[];
    fallbackSources: string[];
    roots: string[];
    format: IconFormat;
    outDir: string;
  }) => Promise<{ icons: { file: string; size: number }[]; isFallback: boolean }>;
}

interface FileMatcherModule {
  FileMatcher: new (
    from: string,
    to: string,
    macroExpander: (pattern: string) => string,
    patterns: string[],
  ) => { createFilter(): (file: string, stat: { isDirectory(): boolean }) => boolean };
}

const requireFromBuilder = createRequire(
  createRequire(import.meta.url).resolve('electron-builder/package.json'),
);
const { getConfig, validateConfiguration } = requireFromBuilder(
  'app-builder-lib/out/util/config/config.js',
) as ConfigModule;
const { convertIcon } = requireFromBuilder(
  'app-builder-lib/out/util/iconConverter.js',
) as IconConverterModule;
const { FileMatcher } = requireFromBuilder('app-builder-lib/out/fileMatcher.js') as FileMatcherModule;

const CONFIG_FILE = 'electron-builder.yml';
type JsonObject = Record<string, unknown>;
const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as JsonObject;
const fromRoot = (relative: string): string => path.resolve(ROOT, relative);
const quiet = { isEnabled: false };

/** electron-builder's effective configuration: defaults merged in, as `npm run dist` sees it. */
let config: Configuration;
beforeAll(async () => {
  config = await getConfig(ROOT, CONFIG_FILE, null);
});

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation', async () => {
    await expect(validateConfiguration(structuredClone(config), quiet)).resolves.toBeUndefined();
  });

  // Proves the check has teeth: the schema forbids unknown keys at every level.
  // For a nested mistake electron-builder's message names only the section
  // ("configuration.linux should be one of these"), not the key.
  it.each([
    ['a misspelt top-level key', { electronFuse: { runAsNode: false } }, /unknown property 'electronFuse'/],
    ['a misspelt platform key', { linux: { categroy: 'Development' } }, /configuration\.linux\b/],
    ['a misspelt fuse', { electronFuses: { runAsNod: false } }, /configuration\.electronFuses\b/],
    ['a wrong type', { npmRebuild: 'no thanks' }, /configuration\.npmRebuild\b/],
  ])('would reject %s', async (_what, change, message) => {
    const broken = structuredClone(config) as JsonObject;
    for (const [key, value] of Object.entries(change)) {
      const current = broken[key];
      broken[key] =
        typeof current === 'object' && current !== null && typeof value === 'object'
          ? { ...current, ...value }
          : value;
    }
    await expect(validateConfiguration(broken as Configuration, quiet)).rejects.toThrow(message);
  });

  it('is the only configuration: package.json has no "build" key, which --config would ignore', () => {
    expect(packageJson).not.toHaveProperty('build');
    expect(packageJson.scripts).toMatchObject({
      dist: `npm run build && electron-builder --config ${CONFIG_FILE}`,
    });
  });

  it('names only paths that exist', () => {
    expect(config.directories?.buildResources).toBe('assets');
    expect(statSync(fromRoot('assets')).isDirectory()).toBe(true);
    const icons = [config.linux?.icon, config.win?.icon, config.mac?.icon];
    expect(icons).toEqual(['assets/icons', 'assets/icons/icon.ico', 'assets/icons/icon.icns']);
    for (const icon of icons) expect(existsSync(fromRoot(icon ?? '')), String(icon)).toBe(true);
    // Hooks given as paths must exist too (there are none today: fuses need no afterPack).
    const hooks = [
      'beforeBuild',
      'beforePack',
      'afterExtract',
      'afterPack',
      'afterSign',
      'afterAllArtifactBuild',
    ];
    for (const hook of hooks) {
      const value: unknown = (config as JsonObject)[hook];
      if (typeof value === 'string') expect(existsSync(fromRoot(value)), `${hook}: ${value}`).toBe(true);
    }
  });

  describe('fuses in the packaged Electron binary', () => {
    it('turn off running as Node, NODE_OPTIONS and the inspector', () => {
      expect(config.electronFuses).toMatchObject({
        runAsNode: false,
        enableNodeOptionsEnvironmentVariable: false,
        enableNodeCliInspectArguments: false,
      });
    });

    it('load the app only from an integrity-checked app.asar', () => {
      expect(config.asar).toBe(true);
      expect(config.electronFuses).toMatchObject({
        onlyLoadAppFromAsar: true,
        enableEmbeddedAsarIntegrityValidation: true,
      });
    });

    it('leave cookie encryption alone: no cookies, and no Keychain prompt on unsigned macOS builds', () => {
      expect(config.electronFuses).not.toHaveProperty('enableCookieEncryption');
    });
  });

  describe('files', () => {
    // The same matcher electron-builder uses to pick app files (minimatch, dot: true).
    let included: (relative: string) => boolean;
    beforeAll(() => {
      const patterns = (config.files as { filter?: string[] }[]).flatMap((set) => set.filter ?? []);
      const filter = new FileMatcher(ROOT, '/app', (pattern) => pattern, patterns).createFilter();
      const file = { isDirectory: () => false };
      included = (relative) => filter(path.join(ROOT, relative), file);
    });

    it('pack the electron-vite build and package.json, with "main" pointing into it', () => {
      expect(packageJson.main).toBe('out/main/index.js');
      for (const file of [
        'out/main/index.js',
        'out/main/chunks/server-abc123.js',
        'out/preload/index.cjs',
        'out/renderer/index.html',
        'out/renderer/assets/index-abc123.js',
        'out/renderer/assets/index-abc123.css',
        'package.json',
      ]) {
        expect(included(file), file).toBe(true);
      }
    });

    it('leave out sources, tests, tooling, icons sources and source maps', () => {
      for (const file of [
        'out/main/index.js.map',
        'out/renderer/assets/index-abc123.js.map',
        'electron/main/index.ts',
        'renderer/src/App.tsx',
        'test/packaging/electron-builder.test.ts',
        'scripts/render-icons.ts',
        'assets/icon.svg',
        'electron-builder.yml',
        'tsconfig.json',
        'release/Switchboard-0.1.0-linux-x86_64.AppImage',
      ]) {
        expect(included(file), file).toBe(false);
      }
    });
  });

  it('puts the version and architecture in every artifact name', () => {
    for (const name of [config.artifactName, config.deb?.artifactName]) {
      expect(name).toContain('${version}');
      expect(name).toContain('${arch}');
    }
  });

  it('gives the deb a maintainer with an address, which electron-builder requires', () => {
    expect(config.linux?.maintainer).toMatch(/^[^<>]+ <[^@\s<>]+@[^@\s<>]+>$/);
  });
});

describe('icons, as electron-builder resolves them', () => {
  let outDir: string;
  beforeAll(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-icons-'));
    // If resolution ever fell through to a conversion, electron-builder would
    // download its icon tool. Pointing the tool's directory at nothing makes
    // that an error instead.
    vi.stubEnv('ELECTRON_BUILDER_ICONS_TOOLSET_DIR', path.join(outDir, 'no-icon-tool-here'));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await rm(outDir, { recursive: true, force: true });
  });

  async function resolveIcon(source: string | null | undefined, format: IconFormat) {
    expect(source).toBeTypeOf('string');
    const result = await convertIcon({
      sources: [source ?? ''],
      fallbackSources: [],
      roots: [fromRoot(config.directories?.buildResources ?? 'build'), ROOT],
      format,
      outDir,
    });
    // Our file is used as it is: no fallback, no converted copy in outDir.
    expect(result.isFallback).toBe(false);
    for (const icon of result.icons) expect(path.dirname(icon.file)).toBe(fromRoot('assets/icons'));
    return result.icons;
  }

  it('Linux: the PNG set, 16 to 1024, each file the size its name says', async () => {
    const icons = await resolveIcon(config.linux?.icon, 'set');
    expect(icons.map((icon) => icon.size)).toEqual([16, 24, 32, 48, 64, 128, 256, 512, 1024]);
    for (const { file, size } of icons) {
      expect(readPngSize(readFileSync(file)), file).toEqual({ width: size, height: size });
    }
  });

  it('Windows: the ICO as it is, PNG entries 16 to 256', async () => {
    const [ico] = await resolveIcon(config.win?.icon, 'ico');
    expect(ico?.size).toBe(256);
    const bytes = readFileSync(ico?.file ?? '');
    const entries = readIcoEntries(bytes);
    expect(entries.map((entry) => entry.size)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const entry of entries) {
      const png = bytes.subarray(entry.offset, entry.offset + entry.length);
      expect(readPngSize(png)).toEqual({ width: entry.size, height: entry.size });
    }
  });

  it('macOS: the ICNS as it is, every PNG element the size its type stands for', async () => {
    const [icns] = await resolveIcon(config.mac?.icon, 'icns');
    const bytes = readFileSync(icns?.file ?? '');
    const elements = readIcnsElements(bytes);
    expect(elements.map((element) => element.type).sort()).toEqual(Object.keys(ICNS_PNG_TYPES).sort());
    for (const { type, offset, length } of elements) {
      const size = ICNS_PNG_TYPES[type as keyof typeof ICNS_PNG_TYPES];
      expect(readPngSize(bytes.subarray(offset, offset + length)), type).toEqual({
        width: size,
        height: size,
      });
    }
  });
});
