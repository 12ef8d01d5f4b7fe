import { describe, expect, it } from 'vitest';
import { runPython, servePreset, stopServersAfterEach } from './run-client.js';

stopServersAfterEach();

// The mail body has a line that is only "QUIT" and one that starts with a dot:
// in the DATA phase both are message text, not commands.
const SEND_MAIL = String.raw`
import smtplib, sys
port = int(sys.argv[1])
body = "Subject: preset test\r\n\r\nfirst line\r\nQUIT\r\n.leading dot\r\nlast line\r\n"
with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
    code, banner = s.ehlo("client.test")
    assert code == 250, (code, banner)
    refused = s.sendmail("from@client.test", ["to@client.test"], body)
    assert refused == {}, refused
    print("sent", s.noop()[0])
    code, message = s.docmd("DATA")
    assert code == 354, (code, message)
    s.send(b"one more\r\n.\r\n")
    print("again", s.getreply()[0])
print("quit")
`;

const HELO_FALLBACK = String.raw`
import smtplib, sys
s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=10)
print(s.helo("old.client.test"))
print(s.docmd("BOGUS"))
print(s.quit())
`;

describe('the SMTP preset', () => {
  it("accepts a mail from Python's smtplib: EHLO, MAIL, RCPT, DATA until the lone dot, QUIT", async () => {
    const { cli, port } = await servePreset('smtp');
    const run = await runPython(SEND_MAIL, port);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('sent 250\nagain 250\nquit\n');
    // The body's "QUIT" line was swallowed as text: the server saw one real QUIT, at the end.
    await cli.waitForLine(/ reply 221 2\.0\.0 bye /);
    expect(cli.lines.filter((l) => / reply 221 /.test(l))).toHaveLength(1);
    expect(cli.lines.filter((l) => / reply 250 2\.0\.0 OK: queued as /.test(l))).toHaveLength(2);
  });

  it('answers HELO, refuses an unknown command with 500 and says 221 on QUIT', async () => {
    const { port } = await servePreset('smtp');
    const run = await runPython(HELO_FALLBACK, port);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      "(250, b'switchboard.test hello old.client.test')\n" +
        "(500, b'5.5.2 command not recognized')\n" +
        "(221, b'2.0.0 bye')\n",
    );
  });
});
