/**
 * The Commands view as the window runs it (the real useCommands on a fake
 * bridge), for the component tests; `server` plays main's pushed state.
 */
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import {
  CLASSIC_TABLE,
  type CommandTable,
  commandTableSchema,
} from '../../../../electron/shared/protocol/command-table';
import type { CommandsState } from '../../../../electron/shared/ipc/models';
import { CommandsView } from '../../../../renderer/src/components/commands/commands-view';
import { useCommands } from '../../../../renderer/src/hooks/use-commands';
import { createFakeBridge, type FakeBridge } from '../../fake-bridge';
import { tryTable } from '../../../../electron/services/commands-service';
import { trialRequestSchema } from '../../../../electron/shared/protocol/table-trial';
import { DEFAULT_SETTINGS } from '../../../../electron/shared/protocol/settings';

export function commandsState(
  table: CommandTable = CLASSIC_TABLE,
  extra: Partial<CommandsState> = {},
): CommandsState {
  return { table, presets: [{ name: 'Classic', builtIn: true, table: CLASSIC_TABLE }], inbox: [], ...extra };
}

function Harness({ fake, server }: { fake: FakeBridge; server: CommandsState }): ReactElement {
  const editor = useCommands(fake.bridge, server);
  return <CommandsView editor={editor} running />;
}

export interface Rendered {
  fake: FakeBridge;
  view: RenderResult;
  /** Replaces main's state, as a 'commands:state' event would. */
  push: (server: CommandsState) => void;
}

/** Renders the view; main answers Apply and the presets calls by serving what it was sent. */
export function renderCommands(server: CommandsState = commandsState(), fake = createFakeBridge()): Rendered {
  let current = server;
  fake.answer('commands:apply', (table) => ({
    ok: true,
    state: { ...current, table: commandTableSchema.parse(table) },
  }));
  fake.answer('commands:savePreset', () => ({ ok: true, state: current }));
  fake.answer('commands:deletePreset', () => ({ ok: true, state: current }));
  fake.answer('commands:clearInbox', () => ({ ...current, inbox: [] }));
  // The rule tester and the framing preview: main's own answer, computed here.
  fake.answer('commands:try', (req) =>
    tryTable(trialRequestSchema.parse(req), DEFAULT_SETTINGS.maxLineBytes),
  );
  const view = render(<Harness fake={fake} server={server} />);
  return {
    fake,
    view,
    push: (next) => {
      current = next;
      view.rerender(<Harness fake={fake} server={next} />);
    },
  };
}
