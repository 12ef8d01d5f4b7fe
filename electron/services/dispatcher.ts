/**
 * Checks and routes one request from a window to its handler.
 *
 * The Electron IPC module and the browser-mode socket both call this, so a
 * request is checked the same way whichever transport carried it: the
 * channel must be in the contract and the payload must match its schema.
 */
import {
  invokeSchemas,
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
  const parsed = invokeSchemas[channel].safeParse(payload);
  if (!parsed.success) {
    throw new IpcRequestError(`invalid request to ${channel}: ${describeIssues(parsed.error)}`);
  }
  // The schema for K checks exactly InvokeRequest<K>; TypeScript cannot
  // correlate the two through the indexed access, hence the annotation.
  const request = parsed.data as InvokeRequest<K>;
  const handler: (req: InvokeRequest<K>) => Promise<InvokeResult<K>> = handlers[channel];
  return handler(request);
}
