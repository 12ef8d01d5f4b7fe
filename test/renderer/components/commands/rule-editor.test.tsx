import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { RuleEditor, replyRows } from '../../../../renderer/src/components/commands/rule-editor';
import type { RuleDraft } from '../../../../renderer/src/components/commands/table-draft';

const RULE: RuleDraft = {
  id: 'rule-x',
  match: 'name',
  name: 'PING',
  pattern: '^P(.*)$',
  reply: 'PONG\n\nEND',
  delay: '',
  close: false,
  bytes: '',
  replyKind: 'lines',
  replyBytes: '',
  state: '',
  then: '',
};

function renderRule(
  overrides: Partial<Pick<Parameters<typeof RuleEditor>[0], 'rule' | 'index' | 'total' | 'errors'>> = {},
) {
  const calls = { onChange: vi.fn(), onMove: vi.fn(), onDuplicate: vi.fn(), onDelete: vi.fn() };
  render(
    <ol>
      <RuleEditor rule={RULE} index={1} total={3} errors={{}} {...calls} {...overrides} />
    </ol>,
  );
  return calls;
}

describe('RuleEditor', () => {
  it('names every control after the rule’s place', () => {
    renderRule();
    expect(screen.getByRole('combobox', { name: 'Rule 2 match' })).toHaveProperty('value', 'name');
    expect(screen.getByRole('textbox', { name: 'Rule 2 word' })).toHaveProperty('value', 'PING');
    expect(screen.getByRole('textbox', { name: 'Rule 2 reply' })).toHaveProperty('value', 'PONG\n\nEND');
    expect(screen.getByRole('textbox', { name: 'Rule 2 delay (ms)' })).toHaveProperty('value', '');
    expect(screen.getByRole('checkbox', { name: 'Rule 2 close after reply' })).toHaveProperty(
      'checked',
      false,
    );
    for (const name of ['Move rule 2 up', 'Move rule 2 down', 'Duplicate rule 2', 'Delete rule 2']) {
      expect(screen.getByRole('button', { name })).toBeTruthy();
    }
  });

  it('shows the pattern field, with its own name, for a pattern rule', () => {
    renderRule({ rule: { ...RULE, match: 'pattern' } });
    expect(screen.getByRole('textbox', { name: 'Rule 2 pattern' })).toHaveProperty('value', '^P(.*)$');
    expect(screen.queryByRole('textbox', { name: 'Rule 2 word' })).toBeNull();
  });

  it('reports each edit as a patch', async () => {
    const user = userEvent.setup();
    const props = renderRule({ rule: { ...RULE, name: '', reply: '' } });
    await user.type(screen.getByRole('textbox', { name: 'Rule 2 word' }), 'Q');
    await user.type(screen.getByRole('textbox', { name: 'Rule 2 reply' }), 'A');
    await user.type(screen.getByRole('textbox', { name: 'Rule 2 delay (ms)' }), '5');
    await user.click(screen.getByRole('checkbox', { name: 'Rule 2 close after reply' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Rule 2 match' }), 'pattern');
    expect(props.onChange.mock.calls).toEqual([
      [{ name: 'Q' }],
      [{ reply: 'A' }],
      [{ delay: '5' }],
      [{ close: true }],
      [{ match: 'pattern' }],
    ]);
  });

  it('shows each problem under its field and ties it to the field', () => {
    renderRule({
      errors: {
        match: 'PING is already the name of rule 1',
        reply: 'unknown variable {x}',
        delay: 'delay cannot be negative',
      },
    });
    for (const [name, message] of [
      ['Rule 2 word', 'PING is already the name of rule 1'],
      ['Rule 2 reply', 'unknown variable {x}'],
      ['Rule 2 delay (ms)', 'delay cannot be negative'],
    ] as const) {
      const field = screen.getByRole('textbox', { name });
      expect(field.getAttribute('aria-invalid')).toBe('true');
      const ids = (field.getAttribute('aria-describedby') ?? '').split(' ');
      expect(ids.map((id) => document.getElementById(id)?.textContent)).toContain(message);
    }
  });

  it('keeps the variables next to the reply', () => {
    renderRule();
    const reply = screen.getByRole('textbox', { name: 'Rule 2 reply' });
    const hint = document.getElementById(reply.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toContain('{line}');
    expect(hint?.textContent).toContain('{1}…{9}');
  });

  it('cannot move the first rule up or the last one down', () => {
    renderRule({ index: 0, total: 1 });
    expect(screen.getByRole('button', { name: 'Move rule 1 up' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'Move rule 1 down' })).toHaveProperty('disabled', true);
  });

  it('moves, duplicates and deletes', async () => {
    const user = userEvent.setup();
    const props = renderRule();
    await user.click(screen.getByRole('button', { name: 'Move rule 2 up' }));
    await user.click(screen.getByRole('button', { name: 'Move rule 2 down' }));
    await user.click(screen.getByRole('button', { name: 'Duplicate rule 2' }));
    await user.click(screen.getByRole('button', { name: 'Delete rule 2' }));
    expect(props.onMove.mock.calls).toEqual([[-1], [1]]);
    expect(props.onDuplicate).toHaveBeenCalledOnce();
    expect(props.onDelete).toHaveBeenCalledOnce();
  });
});

describe('replyRows', () => {
  it('fits the lines and one more, up to eight', () => {
    expect(replyRows('')).toBe(2);
    expect(replyRows('a\nb\nc')).toBe(4);
    expect(replyRows('x\n'.repeat(30))).toBe(8);
  });
});
