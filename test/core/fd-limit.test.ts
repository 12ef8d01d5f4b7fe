import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  DESCRIPTOR_HEADROOM,
  SpareDescriptor,
  connectionCapacity,
  countOpenDescriptors,
  readDescriptorLimit,
} from '../../electron/core/fd-limit.js';
import { LineServer } from '../../electron/core/server.js';
import { RawClient, eventually, startServer } from '../helpers/net.js';
import { SONG } from '../helpers/classic.js';

describe('descriptor limit', () => {
  it("reads the process's open-file limit as the shell reports it", () => {
    const shell = execFileSync('/bin/sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    expect(readDescriptorLimit()).toBe(shell === 'unlimited' ? null : Number(shell));
    expect(countOpenDescriptors()).toBeGreaterThan(2);
  });

  it('keeps max connections when the descriptors allow them', () => {
    expect(connectionCapacity(1000, 20_000, 30)).toEqual({ limit: 1000 });
    expect(connectionCapacity(1000, null, 30)).toEqual({ limit: 1000 });
  });

  it('lowers the limit to what the descriptors allow, keeping the headroom, and says why', () => {
    const capacity = connectionCapacity(1000, 1024, 24);
    expect(capacity.limit).toBe(1024 - 24 - DESCRIPTOR_HEADROOM);
    expect(capacity.warning).toContain('may open only 1024 files');
    expect(capacity.warning).toContain(
      `serving at most ${capacity.limit} connections at once instead of 1000`,
    );
    expect(connectionCapacity(1000, 10, 24).limit).toBe(1);
  });

  it('holds one spare descriptor and gives it back', () => {
    const spare = new SpareDescriptor();
    const before = countOpenDescriptors() ?? 0;
    spare.hold();
    spare.hold();
    expect(spare.held).toBe(true);
    expect(countOpenDescriptors()).toBe(before + 1);
    spare.release();
    expect(countOpenDescriptors()).toBe(before);
  });

  it('turns away newcomers past the lowered limit with ERR server busy, and logs the condition once', async () => {
    const server = new LineServer(undefined, { descriptors: { limit: () => 200, open: () => 134 } });
    const errors: string[] = [];
    server.on('error', (e) => errors.push(e.message));
    const { port } = await startServer({}, server);
    try {
      expect(server.capacity.limit).toBe(2);
      expect(errors).toEqual([server.capacity.warning]);
      const a = await RawClient.connect(port);
      const b = await RawClient.connect(port);
      await eventually(() => server.activeConnections === 2);
      const c = await RawClient.connect(port);
      expect(await c.waitClosed()).toBe('ERR server busy\r\n');
      a.write('SONG\n');
      expect(await a.waitFor(SONG)).toBe(SONG);
      a.destroy();
      b.destroy();
      expect(errors).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });
});
