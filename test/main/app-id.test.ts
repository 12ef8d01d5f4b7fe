/**
 * Windows' AppUserModelID: the running app names itself with the installer's
 * `appId` (read here from electron-builder.yml, so the two cannot drift), and
 * does so before Electron is ready, on Windows only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import type { AppServices } from '../../electron/services/app-services.js';
import { createElectronStub, type ElectronStub } from '../helpers/electron-stub.js';
import { ROOT } from '../helpers/process.js';

function builderAppId(): string {
  const yml = readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');
  const match = /^appId:\s*(\S+)\s*$/m.exec(yml);
  if (!match?.[1]) throw new Error('electron-builder.yml has no appId');
  return match[1];
}

let electron: ElectronStub;

/** Runs electron/main/index.ts as Electron does at launch, on `platform`. */
async function launch(platform: NodeJS.Platform): Promise<void> {
  vi.resetModules();
  electron = createElectronStub();
  vi.doMock('electron', () => electron.module);
  // Never ready in these tests: the services are not needed.
  vi.doMock('../../electron/services/app-services.js', () => ({
    createAppServices: (): Promise<AppServices> => new Promise(() => undefined),
  }));
  vi.spyOn(process, 'platform', 'get').mockReturnValue(platform);
  await import('../../electron/main/index.js');
}

afterEach(() => {
  vi.restoreAllMocks();
});

it('the app id is the one electron-builder.yml gives the installer', async () => {
  vi.resetModules();
  vi.doMock('electron', () => createElectronStub().module);
  const { APP_ID } = await import('../../electron/main/app-id.js');
  expect(APP_ID).toBe(builderAppId());
});

it('on Windows, the app names itself with that id before it is ready', async () => {
  await launch('win32');
  expect(electron.app.setAppUserModelId).toHaveBeenCalledExactlyOnceWith(builderAppId());
  expect(electron.app.isReady()).toBe(false);
});

it.each<NodeJS.Platform>(['darwin', 'linux'])(
  'on %s, where the call does not exist, it is not made',
  async (platform) => {
    await launch(platform);
    expect(electron.app.setAppUserModelId).not.toHaveBeenCalled();
  },
);
