// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Imports that would break a boundary; each rule below says which. */
const electronBanned = {
  name: 'electron',
  message:
    'electron/core, electron/shared, electron/cli and renderer run without Electron: keep electron out.',
};

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
  // The server core, the shared contract, the command line and the window never touch Electron.
  {
    files: ['electron/core/**', 'electron/shared/**', 'electron/cli/**', 'renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronBanned], patterns: ['**/electron/main/index*'] }],
    },
  },
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
              group: ['**/electron/main/**', '**/electron/core/**', '**/electron/cli/**', 'node:*'],
              message: 'The window only sees electron/shared and its bridge.',
            },
          ],
        },
      ],
    },
  },
);
