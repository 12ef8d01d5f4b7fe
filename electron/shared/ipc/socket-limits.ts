/**
 * How big one message of browser mode's socket may be, either way.
 *
 * The biggest request the contract lets through is a `client:send` of its
 * longest line, 1 Mi UTF-16 units (ipc-contract.ts). JSON writes a unit in
 * at most 6 bytes (a control character as `\u0001`; "€" takes 3), so that
 * request is at most 6 MiB plus its short envelope. The limit leaves room
 * for that; anything bigger (a huge command table) is refused by the window
 * before it is sent, with a message, rather than cutting the socket.
 */
export const SOCKET_MESSAGE_LIMIT = 8 * 1024 * 1024;

/** A tab dropped for not reading what it is sent (a WebSocket close code in the private range). */
export const CLOSE_TOO_SLOW = 4008;
