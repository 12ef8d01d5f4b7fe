/**
 * Reads the project's own source files as syntax trees (with TypeScript's
 * parser, which also reads plain JavaScript), so that security tests can
 * ask what the code does rather than grep for text: an identifier in a
 * comment or a string is not a use, and `ipcMain` reached through
 * `electron.ipcMain` or a destructured `require` still is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from './process.js';

const SOURCE_EXTENSIONS = /\.(?:[cm]?[jt]s|tsx|jsx)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'out', 'dist', 'release', 'coverage', '.git']);

export interface SourceFile {
  /** Relative to the project root, with forward slashes. */
  readonly file: string;
  readonly tree: ts.SourceFile;
  /** Every node of the tree, depth first (walked once: each check reads them all). */
  readonly nodes: readonly ts.Node[];
}

/** Every source file under the given folders (relative to the project root). */
export function readSources(...dirs: string[]): SourceFile[] {
  return dirs
    .flatMap((dir) => walk(path.join(ROOT, dir)))
    .map((absolute) => {
      const file = path.relative(ROOT, absolute).split(path.sep).join('/');
      const tree = ts.createSourceFile(
        absolute,
        readFileSync(absolute, 'utf8'),
        ts.ScriptTarget.Latest,
        true,
      );
      return { file, tree, nodes: [...nodesOf(tree)] };
    });
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : walk(full);
    return SOURCE_EXTENSIONS.test(entry.name) ? [full] : [];
  });
}

/** Every node of the tree, depth first. */
export function* nodesOf(tree: ts.Node): Generator<ts.Node> {
  yield tree;
  for (const child of tree.getChildren()) yield* nodesOf(child);
}

/** Where a node is, as `file:line`. */
export function where(source: SourceFile, node: ts.Node): string {
  const { line } = source.tree.getLineAndCharacterOfPosition(node.getStart());
  return `${source.file}:${line + 1}`;
}

/**
 * Places where a name is used: identifiers and property names written in
 * code (never in comments or strings), and string-keyed element access
 * (`electron['ipcMain']`).
 */
export function usesOf(sources: SourceFile[], name: string): string[] {
  const found: string[] = [];
  for (const source of sources) {
    for (const node of source.nodes) {
      const named =
        (ts.isIdentifier(node) && node.text === name) ||
        (ts.isElementAccessExpression(node) &&
          ts.isStringLiteralLike(node.argumentExpression) &&
          node.argumentExpression.text === name);
      if (named) found.push(where(source, node));
    }
  }
  return found;
}

/** String literals with exactly this text (event names such as 'certificate-error'). */
export function stringsOf(sources: SourceFile[], text: string): string[] {
  const found: string[] = [];
  for (const source of sources) {
    for (const node of source.nodes) {
      if (ts.isStringLiteralLike(node) && node.text === text) found.push(where(source, node));
    }
  }
  return found;
}

/** Every `key: value` written in an object literal, with the value's source text. */
export function propertiesNamed(sources: SourceFile[], key: string): Array<{ at: string; value: string }> {
  const found: Array<{ at: string; value: string }> = [];
  for (const source of sources) {
    for (const node of source.nodes) {
      if (ts.isShorthandPropertyAssignment(node) && node.name.text === key) {
        found.push({ at: where(source, node), value: key });
      }
      if (!ts.isPropertyAssignment(node)) continue;
      const name = node.name;
      const text = ts.isIdentifier(name) || ts.isStringLiteralLike(name) ? name.text : undefined;
      if (text === key) found.push({ at: where(source, node), value: node.initializer.getText(source.tree) });
    }
  }
  return found;
}

/** Calls of a global by name, with or without `new`: `Function('…')`, `new Function('…')`. */
export function callsOf(sources: SourceFile[], name: string): string[] {
  const found: string[] = [];
  for (const source of sources) {
    for (const node of source.nodes) {
      if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) continue;
      if (ts.isIdentifier(node.expression) && node.expression.text === name) found.push(where(source, node));
    }
  }
  return found;
}
