import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_VARIABLES } from '../../../../electron/shared/protocol/command-table';
import { VARIABLE_HELP, VariablesHint } from '../../../../renderer/src/components/commands/variables-hint';

describe('VariablesHint', () => {
  it('lists every variable the templates know, each explained', () => {
    const shown = VARIABLE_HELP.map((v) => v.name);
    const expected = TEMPLATE_VARIABLES.filter((v) => !/^[2-9]$/.test(v));
    expect([...shown].sort()).toEqual([...expected].sort());
    render(<VariablesHint id="hint" />);
    const hint = document.getElementById('hint');
    expect(hint?.textContent).toBe('Variables{line}{args}{1}…{9}{conn}{time}{count}{{ writes {');
    expect(screen.getByText('{args}').getAttribute('title')).toBe('everything after the command word');
  });

  it('leaves out the groups where there are none', () => {
    render(<VariablesHint id="hint" groups={false} />);
    expect(screen.queryByText('{1}…{9}')).toBeNull();
  });
});
