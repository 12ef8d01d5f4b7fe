import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_FOLDER, defaultDataDir } from '../../electron/cli/data-dir.js';

const home = os.homedir();

describe('defaultDataDir', () => {
  it('names the folder Switchboard', () => {
    expect(APP_FOLDER).toBe('Switchboard');
  });

  describe('Linux and other Unixes', () => {
    it('uses ~/.config when XDG_CONFIG_HOME is not set', () => {
      expect(defaultDataDir({}, 'linux')).toBe(path.posix.join(home, '.config', 'Switchboard'));
      expect(defaultDataDir({}, 'freebsd')).toBe(path.posix.join(home, '.config', 'Switchboard'));
    });

    it('uses XDG_CONFIG_HOME when set', () => {
      expect(defaultDataDir({ XDG_CONFIG_HOME: '/srv/cfg' }, 'linux')).toBe('/srv/cfg/Switchboard');
    });

    it('treats an empty XDG_CONFIG_HOME as unset, never answering a relative folder', () => {
      const dir = defaultDataDir({ XDG_CONFIG_HOME: '' }, 'linux');
      expect(dir).toBe(path.posix.join(home, '.config', 'Switchboard'));
      expect(path.isAbsolute(dir)).toBe(true);
    });

    it('ignores APPDATA', () => {
      expect(defaultDataDir({ APPDATA: '/nope' }, 'linux')).toBe(
        path.posix.join(home, '.config', 'Switchboard'),
      );
    });
  });

  describe('macOS', () => {
    it('uses ~/Library/Application Support, whatever XDG_CONFIG_HOME says', () => {
      const expected = path.posix.join(home, 'Library', 'Application Support', 'Switchboard');
      expect(defaultDataDir({}, 'darwin')).toBe(expected);
      expect(defaultDataDir({ XDG_CONFIG_HOME: '/srv/cfg' }, 'darwin')).toBe(expected);
    });
  });

  describe('Windows', () => {
    it('uses APPDATA, joined with Windows separators', () => {
      expect(defaultDataDir({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32')).toBe(
        'C:\\Users\\ada\\AppData\\Roaming\\Switchboard',
      );
    });

    it('falls back to AppData\\Roaming under the home folder when APPDATA is unset or empty', () => {
      const expected = path.win32.join(home, 'AppData', 'Roaming', 'Switchboard');
      expect(defaultDataDir({}, 'win32')).toBe(expected);
      expect(defaultDataDir({ APPDATA: '' }, 'win32')).toBe(expected);
    });

    it('ignores XDG_CONFIG_HOME', () => {
      expect(defaultDataDir({ APPDATA: 'D:\\data', XDG_CONFIG_HOME: '/srv/cfg' }, 'win32')).toBe(
        'D:\\data\\Switchboard',
      );
    });
  });

  it('defaults to this process’s environment and platform', () => {
    expect(defaultDataDir()).toBe(defaultDataDir(process.env, process.platform));
  });
});
