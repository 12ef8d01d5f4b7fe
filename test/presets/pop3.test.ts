import { describe, expect, it } from 'vitest';
import { runPython, servePreset, stopServersAfterEach } from './run-client.js';

stopServersAfterEach();

const READ_MAILBOX = String.raw`
import poplib, sys
p = poplib.POP3("127.0.0.1", int(sys.argv[1]), timeout=10)
print(p.getwelcome().decode())
print(p.user("reader").decode())
print(p.pass_("secret").decode())
print(p.stat())
resp, lines, octets = p.retr(1)
print(resp.decode())
for line in lines:
    print("|" + line.decode())
print(p.quit().decode())
`;

const OUT_OF_ORDER = String.raw`
import poplib, sys
p = poplib.POP3("127.0.0.1", int(sys.argv[1]), timeout=10)
for call in (lambda: p.stat(), lambda: p.pass_("early")):
    try:
        call()
    except poplib.error_proto as e:
        print(e)
print(p.quit().decode())
`;

describe('the POP3 preset', () => {
  it("lets Python's poplib log in with USER and PASS, STAT, RETR 1 and QUIT", async () => {
    const { port } = await servePreset('pop3');
    const run = await runPython(READ_MAILBOX, port);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')).toEqual([
      '+OK switchboard POP3 mock ready',
      '+OK send your password',
      '+OK mailbox open, 1 message',
      '(1, 120)',
      '+OK 120 octets',
      '|From: mock@switchboard.test',
      '|To: you@switchboard.test',
      '|Subject: Hello from Switchboard',
      '|',
      '|This message was served by a mock POP3 server.',
      '+OK bye',
      '',
    ]);
  });

  it('refuses STAT and PASS before USER, as a real server does', async () => {
    const { port } = await servePreset('pop3');
    const run = await runPython(OUT_OF_ORDER, port);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe("b'-ERR unknown command'\nb'-ERR send USER first'\n+OK bye\n");
  });
});
