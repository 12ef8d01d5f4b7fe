/**
 * Text written so that the command table reads it literally
 * (docs/command-tables.md): a pattern that matches exactly one line, and a
 * reply template that sends exactly the text. Recordings (core), the
 * services and the window's "Make rules" build rules with these.
 */

/** `text` with every RE2 metacharacter escaped. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A pattern that matches exactly `text` (anchored at both ends). */
export function exactPattern(text: string): string {
  return `^${escapeRegExp(text)}$`;
}

/** A reply line as a template that sends it as it is: a literal `{` is written `{{`. */
export function literalTemplate(line: string): string {
  return line.replace(/\{/g, '{{');
}
