// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Imports that would break a boundary; each rule below says which. */
const electronBanned = {
  name: 'electron',
  message: 'Only electron/main and the preload run inside Electron: keep electron out of this folder.',
};

/** What nothing in electron/shared may import. */
const SHARED_BANS = [
  ['**/electron/core/**', '**/core/*'],
  ['**/electron/services/**', '**/services/*'],
  ['**/electron/main/**', '**/main/*'],
  ['**/electron/cli/**', '**/cli/*'],
];

/**
 * A `no-restricted-imports` block: files matching `files` may not import any
 * of the `groups` (glob lists over the import specifier), nor Electron unless
 * `allowElectron`.
 */
function boundary(files, groups, message, allowElectron = false) {
  return [
    {
      files,
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: allowElectron ? [] : [electronBanned],
            patterns: groups.map((group) => ({ group, message })),
          },
        ],
      },
    },
  ];
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'test/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  // The boundaries between folders (electron/README.md draws them): each block
  // names what one folder may not import.
  ...boundary(
    ['electron/core/**'],
    [
      ['**/electron/services/**', '**/services/*'],
      ['**/electron/main/**', '**/main/*'],
      ['**/electron/cli/**', '**/cli/*'],
      ['**/shared/ipc/**'],
    ],
    'electron/core is the protocol engine: it imports only electron/shared/protocol and Node.',
  ),
  ...boundary(
    ['electron/services/**'],
    [
      ['**/electron/main/**', '**/main/*'],
      ['**/electron/cli/**', '**/cli/*'],
    ],
    'electron/services run without Electron, for main, browser mode and the command line alike: they import core and shared only.',
  ),
  ...boundary(
    ['electron/shared/ipc/**'],
    SHARED_BANS,
    'electron/shared is imported by everyone and imports nothing of ours outside itself.',
  ),
  // The same, and the protocol knows nothing of the window.
  ...boundary(
    ['electron/shared/protocol/**'],
    [...SHARED_BANS, ['**/ipc/*', '**/shared/ipc/**']],
    'electron/shared/protocol imports nothing of ours outside itself (not even electron/shared/ipc).',
  ),
  ...boundary(
    ['electron/cli/**'],
    [['**/electron/main/**', '**/main/*']],
    'The command line and browser mode run without Electron: they use electron/services, never electron/main.',
  ),
  ...boundary(
    ['electron/preload/**'],
    [
      ['**/electron/core/**', '**/core/*'],
      ['**/electron/services/**', '**/services/*'],
      ['**/electron/main/**', '**/main/*'],
      ['**/electron/cli/**', '**/cli/*'],
    ],
    'The preload is the bridge: it sees the IPC contract only.',
    true,
  ),
  // Only electron/main/ipc.ts touches ipcMain; only the preload touches ipcRenderer.
  {
    files: ['electron/**'],
    ignores: ['electron/main/ipc.ts', 'electron/preload/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportSpecifier[imported.name='ipcMain']",
          message: 'Only electron/main/ipc.ts may use ipcMain.',
        },
        {
          selector: "ImportSpecifier[imported.name='ipcRenderer']",
          message: 'Only the preload may use ipcRenderer.',
        },
      ],
    },
  },
  {
    files: ['electron/main/ipc.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportSpecifier[imported.name='ipcRenderer']",
          message: 'Only the preload may use ipcRenderer.',
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBanned],
          patterns: [
            {
              group: [
                '**/electron/main/**',
                '**/electron/services/**',
                '**/electron/core/**',
                '**/electron/cli/**',
                '**/electron/preload/**',
                'node:*',
              ],
              message: 'The window only sees electron/shared and its bridge.',
            },
          ],
        },
      ],
    },
  },
);
