/**
 * One button per command the server knows: a click sends it, with the
 * chosen line ending, as if typed.
 */
import type { ReactElement } from 'react';
import type { QuickCommands as Quick } from '../lib/quick-commands';

interface QuickCommandsProps {
  quick: Quick;
  onSend: (command: string) => void;
}

const SOURCE_HINT: Record<Quick['source'], string> = {
  table: 'From the server’s command table',
  help: 'From the server’s answer to HELP',
  none: 'Send HELP to list this server’s commands',
};

export function QuickCommands({ quick, onSend }: QuickCommandsProps): ReactElement {
  return (
    <div
      className="quick-commands"
      role="group"
      aria-label="Quick commands"
      title={SOURCE_HINT[quick.source]}
    >
      <span className="quick-label" aria-hidden="true">
        Quick
      </span>
      <div className="quick-list">
        {quick.commands.map((command) => (
          <button
            key={command}
            type="button"
            className="quick-button"
            title={`Send ${command}`}
            onClick={() => onSend(command)}
          >
            {command}
          </button>
        ))}
      </div>
    </div>
  );
}
