import { describe, expect, it } from 'vitest';
import { runPython, servePreset, stopServersAfterEach } from './run-client.js';

stopServersAfterEach();

const LOG_IN = String.raw`
import ftplib, sys
f = ftplib.FTP()
print(f.connect("127.0.0.1", int(sys.argv[1]), timeout=10))
print(f.login("tester", "secret"))
print(f.pwd())
print(f.sendcmd("SYST"))
print(f.quit())
`;

const NOT_LOGGED_IN = String.raw`
import ftplib, sys
f = ftplib.FTP()
f.connect("127.0.0.1", int(sys.argv[1]), timeout=10)
for cmd in ("PWD", "RETR x"):
    try:
        f.sendcmd(cmd)
    except ftplib.error_perm as e:
        print(e)
print(f.quit())
`;

describe('the FTP control-channel preset', () => {
  it("lets Python's ftplib log in with USER and PASS, ask PWD and QUIT", async () => {
    const { port } = await servePreset('ftp');
    const run = await runPython(LOG_IN, port);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      '220 switchboard FTP mock ready\n230 user logged in\n/\n215 UNIX Type: L8\n221 goodbye\n',
    );
  });

  it('answers 530 before login and 502 for what it does not implement', async () => {
    const { port } = await servePreset('ftp');
    const run = await runPython(NOT_LOGGED_IN, port);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('530 not logged in\n502 command not implemented\n221 goodbye\n');
  });
});
