import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../../renderer/src/app';
import { createFakeBridge, snapshot } from '../fake-bridge';

describe('problems with the data folder at start', () => {
  it('are shown in the window, each once, beside the settings reset notice', async () => {
    const settingsProblem =
      'could not read settings.json (it is a named pipe (FIFO), not a file); using default settings';
    const fake = createFakeBridge(
      snapshot({
        settings: { settings: snapshot().settings.settings, problem: settingsProblem },
        startProblems: [
          "could not keep the last run's log logs/switchboard.jsonl as logs/previous.jsonl (EROFS); this run appends to it",
          settingsProblem,
        ],
      }),
    );
    render(<App bridge={fake.bridge} />);
    const alert = await screen.findByText('Problems with the data folder at start:');
    expect(alert.parentElement?.textContent).toContain('EROFS');
    expect(alert.parentElement?.textContent).not.toContain('named pipe');
    expect(screen.getByText(settingsProblem)).toBeTruthy();
  });
});
