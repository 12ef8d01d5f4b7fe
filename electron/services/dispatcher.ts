/**
 * Checks and routes one request from a window to its handler.
 *
 * The Electron IPC module and the browser-mode socket both call this, so a
 * request is checked the same way whichever transport carried it: the
 * channel must be in the contract and the payload must match its schema.
 */
import {
  invokeChannels,
  isInvokeChannel,
  type Handlers,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResult,
} from '../shared/ipc/ipc-contract.js';
import { describeIssues } from '../shared/protocol/settings.js';

/** A request main refuses: unknown channel, malformed payload, untrusted sender. */
export class IpcRequestError extends Error {
  override name = 'IpcRequestError';
}

export type Dispatch = (channel: unknown, payload: unknown) => Promise<unknown>;

export function createDispatcher(handlers: Handlers): Dispatch {
  return async (channel, payload) => {
    if (!isInvokeChannel(channel)) {
      throw new IpcRequestError(`unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}`);
    }
    return call(handlers, channel, payload);
  };
}

async function call<K extends InvokeChannel>(
  handlers: Handlers,
  channel: K,
  payload: unknown,
): Promise<InvokeResult<K>> {
  // Channel K's schema parses into its output type, which is InvokeRequest<K>
  // by definition: the handler receives exactly what was checked.
  const parsed = invokeChannels[channel].request.safeParse(payload);
  if (!parsed.success) {
    throw new IpcRequestError(`invalid request to ${channel}: ${describeIssues(parsed.error)}`);
  }
  const handler: (req: InvokeRequest<K>) => Promise<InvokeResult<K>> = handlers[channel];
  return handler(parsed.data);
}
