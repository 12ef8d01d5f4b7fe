/**
 * The connection log's filters: free text, one connection, event kinds.
 * The Connection field doubles as the keyboard's way to a conversation.
 */
import type { ReactElement } from 'react';
import type { LogView } from '../hooks/use-log-view';
import { DEFAULT_LISTENER, KIND_GROUPS, SINGLE_KINDS } from '../lib/log-filter';
import { ConversationIcon, SearchIcon } from './icons';

interface LogToolbarProps {
  view: LogView;
  onShowConversation: (conn: number) => void;
  /** The extra listeners (docs/window.md, "Listeners"): with any, a Listener filter. */
  listenerNames?: readonly string[];
}

export function LogToolbar({ view, onShowConversation, listenerNames = [] }: LogToolbarProps): ReactElement {
  const { conn } = view.filter;
  return (
    <div className="log-toolbar">
      <div className="log-search">
        <SearchIcon className="icon log-search-icon" />
        <input
          type="search"
          className="input log-search-input"
          aria-label="Search log"
          placeholder="Search log"
          value={view.search}
          onChange={(e) => view.setSearch(e.target.value)}
          spellCheck={false}
          autoComplete="off"
        />
      </div>
      <input
        className="input log-conn-input"
        aria-label="Connection"
        placeholder="#conn"
        title="Show one connection: its number, like #12"
        value={view.connText}
        onChange={(e) => view.setConnText(e.target.value)}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={view.connError ? true : undefined}
        aria-describedby={view.connError ? 'log-conn-error' : undefined}
      />
      <select
        className="input select log-kinds"
        aria-label="Event kinds"
        value={view.kinds}
        onChange={(e) => view.setKinds(e.target.value)}
      >
        <optgroup label="Groups">
          {KIND_GROUPS.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </optgroup>
        <optgroup label="One kind">
          {SINGLE_KINDS.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </optgroup>
      </select>
      {listenerNames.length > 0 || view.listener !== null ? (
        <select
          className="input select log-listener-filter"
          aria-label="Listener filter"
          value={view.listener ?? ''}
          onChange={(e) => view.setListener(e.target.value === '' ? null : e.target.value)}
        >
          <option value="">All listeners</option>
          {[DEFAULT_LISTENER, ...listenerNames.filter((n) => n !== DEFAULT_LISTENER)].map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      ) : null}
      {conn !== null && conn !== 0 ? (
        <button
          type="button"
          className="button button--small"
          aria-label={`Show conversation #${conn}`}
          onClick={() => onShowConversation(conn)}
        >
          <ConversationIcon />
          <span className="button-text">Conversation</span>
        </button>
      ) : null}
      {view.connError ? (
        <p className="field-error log-toolbar-error" id="log-conn-error">
          Connection: {view.connError}
        </p>
      ) : null}
    </div>
  );
}
