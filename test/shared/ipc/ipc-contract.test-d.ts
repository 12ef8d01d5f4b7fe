/**
 * Type-level tests of the IPC contract: they pass only if the compiler
 * refuses what must not compile. Vitest's typecheck runs them with the suite.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type {
  Bridge,
  EventMap,
  Handlers,
  InvokeChannel,
  ClientSendRequest,
  InvokeMap,
  InvokeRequest,
  SettingsRequest,
  invokeChannels,
} from '../../../electron/shared/ipc/ipc-contract.js';
import type { StartOutcome } from '../../../electron/shared/ipc/models.js';
import { DEFAULT_SETTINGS, type ServerSettings } from '../../../electron/shared/protocol/settings.js';

type Impl<K extends InvokeChannel> = Handlers[K];
const ok = <T>(value: T): Promise<T> => Promise.resolve(value);
/** A value of any type, for checking types without building real values. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- that is the point
declare const any: <T>() => T;
/** Type-checks `value` as a T, so errors land on the offending line. */
const accept = <T>(value: T): T => value;

describe('the handler table', () => {
  it('accepts a complete table', () => {
    const full: Handlers = { ...any<Handlers>() };
    expectTypeOf(full).toEqualTypeOf<Handlers>();
  });

  it('refuses a table with a missing handler', () => {
    // @ts-expect-error 'log:previous' is missing
    accept<Handlers>(any<Omit<Handlers, 'log:previous'>>());
  });

  it('refuses a table with a channel the contract does not declare', () => {
    accept<Handlers>({
      ...any<Handlers>(),
      // @ts-expect-error 'server:restart' is not in the contract
      'server:restart': () => any(),
    });
  });

  it('refuses a handler with the wrong result type', () => {
    // @ts-expect-error server:start must answer a StartOutcome
    accept<Impl<'server:start'>>(() => ok({ started: true }));
  });

  it('types each handler from the contract', () => {
    // The handler gets what the schema checked (the shape), and judges the values itself.
    expectTypeOf<Parameters<Impl<'server:start'>>[0]>().toEqualTypeOf<SettingsRequest>();
    expectTypeOf<ServerSettings>().toExtend<SettingsRequest>();
    expectTypeOf<InvokeRequest<'client:send'>>().toEqualTypeOf<ClientSendRequest>();
    expectTypeOf<ReturnType<Impl<'server:start'>>>().toEqualTypeOf<Promise<StartOutcome>>();
  });
});

describe('the bridge', () => {
  it('refuses unknown channels and wrong payloads at compile time', () => {
    const bridge = any<Bridge>();
    expectTypeOf(bridge.invoke('server:stop')).toEqualTypeOf<Promise<InvokeMap['server:stop']['res']>>();
    expectTypeOf(
      bridge.invoke('server:start', { ...DEFAULT_SETTINGS }),
    ).resolves.toEqualTypeOf<StartOutcome>();
    // @ts-expect-error not a channel
    void bridge.invoke('server:restart');
    // @ts-expect-error server:start needs its settings
    void bridge.invoke('server:start');
    // @ts-expect-error server:stop takes no payload
    void bridge.invoke('server:stop', 1);
    // @ts-expect-error not an event channel
    bridge.on('log:everything', () => undefined);
    bridge.on('log:batch', (batch) => expectTypeOf(batch).toEqualTypeOf<EventMap['log:batch']>());
  });
});

describe('the runtime allow-list', () => {
  it('has a schema for exactly the declared channels', () => {
    expectTypeOf<keyof typeof invokeChannels>().toEqualTypeOf<InvokeChannel>();
  });
});
