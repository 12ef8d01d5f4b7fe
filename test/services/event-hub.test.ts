import { describe, expect, it } from 'vitest';
import { EventHub } from '../../electron/services/event-hub.js';
import type { EventChannel, EventMap, EventSink } from '../../electron/shared/ipc/ipc-contract.js';
import type { ServerStatus } from '../../electron/shared/ipc/models.js';

type Received = [EventChannel, EventMap[EventChannel]];

function recordingSink(): { sink: EventSink; received: Received[] } {
  const received: Received[] = [];
  const sink: EventSink = (channel, payload) => {
    received.push([channel, payload]);
  };
  return { sink, received };
}

const RUNNING: ServerStatus = {
  state: 'running',
  host: '127.0.0.1',
  port: 5,
  text: 'Running on 127.0.0.1:5',
};
const STOPPED: ServerStatus = { state: 'stopped', host: '', port: 0, text: 'Stopped' };

describe('EventHub', () => {
  it('sends each event to every subscribed sink, in order', () => {
    const hub = new EventHub();
    const a = recordingSink();
    const b = recordingSink();
    hub.subscribe(a.sink);
    hub.subscribe(b.sink);
    hub.publish('server:status', RUNNING);
    hub.publish('client:batch', { events: [], state: { connected: false, target: null } });
    const expected: Received[] = [
      ['server:status', RUNNING],
      ['client:batch', { events: [], state: { connected: false, target: null } }],
    ];
    expect(a.received).toEqual(expected);
    expect(b.received).toEqual(expected);
  });

  it('passes the payload object itself, not a copy', () => {
    const hub = new EventHub();
    const a = recordingSink();
    hub.subscribe(a.sink);
    hub.publish('server:status', RUNNING);
    expect(a.received[0]?.[1]).toBe(RUNNING);
  });

  it('stops sending to a sink once it unsubscribes, and keeps sending to the others', () => {
    const hub = new EventHub();
    const a = recordingSink();
    const b = recordingSink();
    const offA = hub.subscribe(a.sink);
    hub.subscribe(b.sink);
    hub.publish('server:status', RUNNING);
    offA();
    hub.publish('server:status', STOPPED);
    expect(a.received).toEqual([['server:status', RUNNING]]);
    expect(b.received).toEqual([
      ['server:status', RUNNING],
      ['server:status', STOPPED],
    ]);
  });

  it('a throwing sink does not stop the sinks after it, nor later events', () => {
    const hub = new EventHub();
    const before = recordingSink();
    const after = recordingSink();
    let thrown = 0;
    hub.subscribe(before.sink);
    hub.subscribe(() => {
      thrown++;
      throw new Error('window went away');
    });
    hub.subscribe(after.sink);
    hub.publish('server:status', RUNNING);
    hub.publish('server:status', STOPPED);
    expect(thrown).toBe(2);
    expect(before.received.map((r) => r[1])).toEqual([RUNNING, STOPPED]);
    expect(after.received.map((r) => r[1])).toEqual([RUNNING, STOPPED]);
  });

  it('the same sink subscribed twice gets each event once', () => {
    const hub = new EventHub();
    const a = recordingSink();
    hub.subscribe(a.sink);
    hub.subscribe(a.sink);
    hub.publish('server:status', RUNNING);
    expect(a.received).toHaveLength(1);
  });
});
