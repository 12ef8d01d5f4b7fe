/**
 * Renders parsed reply templates (electron/shared/protocol/templates.ts)
 * into the bytes a client receives. A template without variables is
 * rendered once, when the table is compiled.
 */
import type { ReplyTemplate } from '../shared/protocol/command-table.js';
import { MAX_ECHO_CHARS, type TemplatePart } from '../shared/protocol/templates.js';
import { escapeControlChars } from '../shared/protocol/text.js';

/** What a reply's variables are taken from. */
export interface RenderContext {
  /** The request as text (trimmed, for line framings). */
  readonly line: string;
  readonly args: string;
  readonly groups: readonly (string | null)[];
  readonly conn: number;
  readonly count: number;
  /** The request as it came, and how to make its bytes: only done when a byte template asks. */
  readonly source: Buffer | string;
  readonly bytesOf: (source: Buffer | string, line: string) => Buffer;
}

/** Bytes to write, with their text for the log. */
export interface Rendered {
  readonly text: string;
  readonly bytes: Buffer;
}

export interface Renderer<T> {
  /** The result for every request, when the template has no variables. */
  readonly fixed: T | null;
  render(ctx: RenderContext): T;
}

/** A renderer of `template`, each result passed through `wrap` (which adds what the caller needs). */
export function renderer<T>(template: ReplyTemplate, ending: string, wrap: (r: Rendered) => T): Renderer<T> {
  if (template.kind === 'bytes') {
    const { parts } = template;
    if (parts.every((p) => p instanceof Uint8Array)) {
      const bytes = Buffer.concat(parts);
      const fixed = wrap({ text: bytes.toString('latin1'), bytes });
      return { fixed, render: () => fixed };
    }
    return {
      fixed: null,
      render(ctx) {
        const request = ctx.bytesOf(ctx.source, ctx.line);
        // What the request lacks is left out: a shorter request copies what it has.
        const bytes = Buffer.concat(
          parts.map((p) =>
            p instanceof Uint8Array
              ? p
              : request.subarray(Math.min(p.offset, request.length), p.offset + p.length),
          ),
        );
        return wrap({ text: bytes.toString('latin1'), bytes });
      },
    };
  }
  const { lines } = template;
  if (lines.every((parts) => parts.every((p) => typeof p === 'string'))) {
    const text = lines.map((parts) => `${parts.join('')}${ending}`).join('');
    const fixed = wrap({ text, bytes: Buffer.from(text, 'utf8') });
    return { fixed, render: () => fixed };
  }
  return {
    fixed: null,
    render(ctx) {
      let text = '';
      for (const parts of lines) text += renderLine(parts, ctx) + ending;
      return wrap({ text, bytes: Buffer.from(text, 'utf8') });
    },
  };
}

function renderLine(parts: readonly TemplatePart[], ctx: RenderContext): string {
  let text = '';
  for (const part of parts) text += typeof part === 'string' ? part : value(part.name, ctx);
  return text;
}

/** A variable's value; text that came from the client is escaped and bounded. */
function value(name: string, ctx: RenderContext): string {
  switch (name) {
    case 'line':
      return echo(ctx.line);
    case 'args':
      return echo(ctx.args);
    case 'conn':
      return String(ctx.conn);
    case 'time':
      return new Date().toISOString();
    case 'count':
      return String(ctx.count);
    default:
      return echo(ctx.groups[Number(name) - 1] ?? '');
  }
}

/** Escapes a value from the client, and cuts it at MAX_ECHO_CHARS, marked with `…`. */
export function echo(text: string): string {
  const escaped = escapeControlChars(text);
  if (escaped.length <= MAX_ECHO_CHARS) return escaped;
  let cut = MAX_ECHO_CHARS;
  const last = escaped.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--; // never half a character
  return `${escaped.slice(0, cut)}…`;
}
