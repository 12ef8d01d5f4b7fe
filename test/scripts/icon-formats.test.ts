import { describe, expect, it } from 'vitest';
import {
  ICNS_PNG_TYPES,
  encodeIcns,
  encodeIco,
  readIcnsElements,
  readIcoEntries,
  readPngSize,
  type IcnsType,
} from '../../scripts/icon-formats.js';

/**
 * A stand-in PNG: the signature, an IHDR chunk with the given size, then
 * `extra` bytes of `fill`, so each image is recognisable inside a container.
 * The containers only read IHDR, so the rest need not decode.
 */
function fakePng(width: number, height = width, fill = width % 256, extra = 20): Buffer {
  const png = Buffer.alloc(33 + extra, fill);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png, 0);
  png.writeUInt32BE(13, 8);
  png.write('IHDR', 12, 'latin1');
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt8(8, 24); // bit depth
  png.writeUInt8(6, 25); // RGBA
  return png;
}

describe('readPngSize', () => {
  it('reads width and height from IHDR', () => {
    expect(readPngSize(fakePng(48, 32))).toEqual({ width: 48, height: 32 });
  });

  it('rejects bytes that are not a PNG', () => {
    expect(() => readPngSize(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toThrow(/signature/);
    const noIhdr = fakePng(16);
    noIhdr.write('IDAT', 12, 'latin1');
    expect(() => readPngSize(noIhdr)).toThrow(/IHDR/);
  });
});

describe('encodeIco', () => {
  const sizes = [256, 16, 48, 32];
  const pngs = sizes.map((size) => fakePng(size, size, size % 256, size / 8));
  const ico = encodeIco(pngs);

  it('writes an ICONDIR: reserved 0, type 1 (icon), one entry per image', () => {
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    expect(ico.readUInt16LE(4)).toBe(4);
  });

  it('writes entries smallest first, 256 as 0, 32-bit, with lengths and contiguous offsets', () => {
    const rows = [0, 1, 2, 3].map((index) => {
      const at = 6 + 16 * index;
      return {
        width: ico.readUInt8(at),
        height: ico.readUInt8(at + 1),
        colours: ico.readUInt8(at + 2),
        reserved: ico.readUInt8(at + 3),
        planes: ico.readUInt16LE(at + 4),
        bpp: ico.readUInt16LE(at + 6),
        length: ico.readUInt32LE(at + 8),
        offset: ico.readUInt32LE(at + 12),
      };
    });
    expect(rows.map((r) => r.width)).toEqual([16, 32, 48, 0]);
    expect(rows.map((r) => r.height)).toEqual([16, 32, 48, 0]);
    for (const row of rows) expect(row).toMatchObject({ colours: 0, reserved: 0, planes: 1, bpp: 32 });
    // Lengths are the PNGs' (33 + size / 8 bytes each); data starts right after the directory.
    expect(rows.map((r) => r.length)).toEqual([35, 37, 39, 65]);
    expect(rows.map((r) => r.offset)).toEqual([70, 105, 142, 181]);
    expect(ico.length).toBe(181 + 65);
  });

  it('stores each PNG byte for byte at its offset', () => {
    for (const entry of readIcoEntries(ico)) {
      const original = pngs[sizes.indexOf(entry.size)];
      expect(
        ico.subarray(entry.offset, entry.offset + entry.length).equals(original ?? Buffer.alloc(0)),
      ).toBe(true);
    }
  });

  it('refuses what an ICO cannot hold', () => {
    expect(() => encodeIco([])).toThrow(/at least one/);
    expect(() => encodeIco([fakePng(32, 16)])).toThrow(/square/);
    expect(() => encodeIco([fakePng(512)])).toThrow(/1\.\.256/);
    expect(() => encodeIco([fakePng(32), fakePng(32)])).toThrow(/twice/);
    expect(() => encodeIco([Buffer.from('GIF89a')])).toThrow(/not a PNG/);
  });

  it('reads back a directory, and refuses a truncated file', () => {
    expect(readIcoEntries(ico).map((e) => e.size)).toEqual([16, 32, 48, 256]);
    expect(() => readIcoEntries(ico.subarray(0, 30))).toThrow(/truncated/);
    expect(() => readIcoEntries(ico.subarray(0, ico.length - 1))).toThrow(/past the end/);
    expect(() => readIcoEntries(Buffer.from([0, 0, 2, 0, 0, 0]))).toThrow(/ICONDIR/);
  });
});

describe('encodeIcns', () => {
  const elements: { type: IcnsType; png: Buffer }[] = [
    { type: 'ic11', png: fakePng(32) },
    { type: 'ic07', png: fakePng(128) },
    { type: 'ic10', png: fakePng(1024, 1024, 0xaa, 5) },
  ];
  const icns = encodeIcns(elements);

  it('writes the "icns" magic and the whole file length, big-endian', () => {
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
  });

  it('writes each element as type, length including its 8-byte header, then the PNG, in order', () => {
    let at = 8;
    for (const { type, png } of elements) {
      expect(icns.toString('latin1', at, at + 4)).toBe(type);
      expect(icns.readUInt32BE(at + 4)).toBe(8 + png.length);
      expect(icns.subarray(at + 8, at + 8 + png.length).equals(png)).toBe(true);
      at += 8 + png.length;
    }
    expect(at).toBe(icns.length);
  });

  it('knows the pixel size each PNG element type stands for', () => {
    expect(ICNS_PNG_TYPES).toEqual({
      ic07: 128,
      ic08: 256,
      ic09: 512,
      ic10: 1024,
      ic11: 32,
      ic12: 64,
      ic13: 256,
      ic14: 512,
    });
  });

  it('refuses a PNG of the wrong size for its type, a repeated type, or nothing', () => {
    expect(() => encodeIcns([{ type: 'ic08', png: fakePng(512) }])).toThrow(/ic08 must be 256px, got 512px/);
    expect(() => encodeIcns([{ type: 'ic07', png: fakePng(128, 64) }])).toThrow(/square/);
    expect(() =>
      encodeIcns([
        { type: 'ic07', png: fakePng(128) },
        { type: 'ic07', png: fakePng(128) },
      ]),
    ).toThrow(/twice/);
    expect(() => encodeIcns([])).toThrow(/at least one/);
  });

  it('reads back its elements, and refuses a file whose lengths do not add up', () => {
    expect(readIcnsElements(icns)).toEqual([
      { type: 'ic11', offset: 16, length: elements[0]?.png.length },
      { type: 'ic07', offset: 16 + 8 + (elements[0]?.png.length ?? 0), length: elements[1]?.png.length },
      {
        type: 'ic10',
        offset: icns.length - (elements[2]?.png.length ?? 0),
        length: elements[2]?.png.length,
      },
    ]);
    const short = Buffer.from(icns.subarray(0, icns.length - 1));
    expect(() => readIcnsElements(short)).toThrow(/header length/);
    short.writeUInt32BE(short.length, 4);
    expect(() => readIcnsElements(short)).toThrow(/bad length/);
    expect(() => readIcnsElements(Buffer.from('icon\0\0\0\x08'))).toThrow(/magic/);
  });
});
