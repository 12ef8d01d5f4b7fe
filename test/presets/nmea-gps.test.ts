import { describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/net.js';
import { servePreset, stopServersAfterEach } from './run-client.js';

stopServersAfterEach();

/** NMEA 0183's checksum: the XOR of every character between `$` and `*`, as two hex digits. */
function nmeaChecksum(body: string): string {
  let sum = 0;
  for (const c of body) sum ^= c.charCodeAt(0);
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

describe('the NMEA GPS preset', () => {
  it('pushes $GPRMC sentences with a valid checksum once a second to a client that sends nothing', async () => {
    const { port } = await servePreset('nmea-gps');
    const client = await RawClient.connect(port);
    // Two sentences take about two seconds; the bound is generous for a busy machine.
    const text = await client.waitFor((t) => t.split('\r\n').length > 2, 15_000);
    const sentences = text.split('\r\n').slice(0, 2);
    for (const sentence of sentences) {
      const m = /^\$(GPRMC,[^*]*)\*([0-9A-F]{2})$/.exec(sentence);
      expect(m, sentence).not.toBeNull();
      expect(m?.[2]).toBe(nmeaChecksum(m?.[1] ?? ''));
      // RMC: time, status A (valid fix), latitude, N/S, longitude, E/W, speed, course, date, variation.
      expect(sentence.split(',')).toHaveLength(12);
      expect(sentence.split(',')[2]).toBe('A');
    }
    client.destroy();
  });
});
