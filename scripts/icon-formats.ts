/**
 * Writers for the two icon containers packaging needs, ICO (Windows) and
 * ICNS (macOS), plus the readers the tests and the packaging check use.
 *
 * Both containers hold ready-made PNG files: Windows has read PNG entries in
 * ICO files since Vista, and macOS has read PNG entries in ICNS files since
 * 10.7, so there is no bitmap encoding here, only a header and a table of
 * contents around PNG bytes that Chromium already rendered. That keeps the
 * icon pipeline free of native addons and of electron-builder's downloaded
 * icon tool.
 */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngSize {
  width: number;
  height: number;
}

/**
 * Reads a PNG's pixel size from its IHDR chunk.
 *
 * Throws unless the bytes start with a PNG signature followed by IHDR, so a
 * stray file (a JPEG, an SVG) cannot end up inside an icon container.
 */
export function readPngSize(png: Uint8Array): PngSize {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  // Signature (8) + IHDR length (4) + "IHDR" (4) + width (4) + height (4).
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw new Error('not a PNG: the PNG signature is missing');
  }
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG: the first chunk is not IHDR');
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function squareSize(png: Uint8Array, what: string): number {
  const { width, height } = readPngSize(png);
  if (width !== height) throw new Error(`${what}: icons must be square, got ${width}x${height}`);
  return width;
}

// ---------------------------------------------------------------------------
// ICO
// ---------------------------------------------------------------------------

/** ICONDIR: reserved, type (1 = icon), image count. */
export const ICO_HEADER_BYTES = 6;
/** ICONDIRENTRY: one per image, in the same order as the image data. */
export const ICO_ENTRY_BYTES = 16;

export interface IcoEntry {
  /** Pixel size; the file stores 256 as 0 because the field is one byte. */
  size: number;
  bitsPerPixel: number;
  /** Where the image's bytes start, from the start of the file. */
  offset: number;
  length: number;
}

/**
 * Builds a multi-size ICO from square PNGs of at most 256 pixels (the most the
 * format's one-byte size fields can describe), smallest first so readers that
 * take the first entry as a fallback get the cheapest one.
 */
export function encodeIco(pngs: readonly Uint8Array[]): Buffer {
  if (pngs.length === 0) throw new Error('ICO: at least one image is required');
  const images = pngs
    .map((png, index) => ({ png, size: squareSize(png, `ICO image ${index}`) }))
    .sort((a, b) => a.size - b.size);
  const seen = new Set<number>();
  for (const { size } of images) {
    if (size < 1 || size > 256) throw new Error(`ICO: sizes must be 1..256, got ${size}`);
    if (seen.has(size)) throw new Error(`ICO: size ${size} appears twice`);
    seen.add(size);
  }

  const header = Buffer.alloc(ICO_HEADER_BYTES + ICO_ENTRY_BYTES * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);

  let offset = header.length;
  images.forEach(({ png, size }, index) => {
    const entry = ICO_HEADER_BYTES + ICO_ENTRY_BYTES * index;
    header.writeUInt8(size === 256 ? 0 : size, entry); // width
    header.writeUInt8(size === 256 ? 0 : size, entry + 1); // height
    header.writeUInt8(0, entry + 2); // palette colours: none, true colour
    header.writeUInt8(0, entry + 3); // reserved
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel: RGBA
    header.writeUInt32LE(png.byteLength, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.byteLength;
  });
  return Buffer.concat([header, ...images.map(({ png }) => png)]);
}

/** Lists an ICO's directory, checking that every entry lies inside the file. */
export function readIcoEntries(ico: Uint8Array): IcoEntry[] {
  const bytes = Buffer.from(ico.buffer, ico.byteOffset, ico.byteLength);
  if (bytes.length < ICO_HEADER_BYTES || bytes.readUInt16LE(0) !== 0 || bytes.readUInt16LE(2) !== 1) {
    throw new Error('not an ICO: bad ICONDIR header');
  }
  const count = bytes.readUInt16LE(4);
  if (bytes.length < ICO_HEADER_BYTES + ICO_ENTRY_BYTES * count)
    throw new Error('ICO: directory is truncated');
  const entries: IcoEntry[] = [];
  for (let index = 0; index < count; index++) {
    const at = ICO_HEADER_BYTES + ICO_ENTRY_BYTES * index;
    const entry: IcoEntry = {
      size: bytes.readUInt8(at) || 256,
      bitsPerPixel: bytes.readUInt16LE(at + 6),
      length: bytes.readUInt32LE(at + 8),
      offset: bytes.readUInt32LE(at + 12),
    };
    if (entry.offset + entry.length > bytes.length) throw new Error(`ICO: entry ${index} runs past the end`);
    entries.push(entry);
  }
  return entries;
}

// ---------------------------------------------------------------------------
// ICNS
// ---------------------------------------------------------------------------

/**
 * The PNG-capable ICNS element types and the pixel size each must hold. The
 * "@2x" types (ic11..ic14) are what Retina displays pick for 16..256 pt; ic10
 * doubles as 512 pt @2x.
 */
export const ICNS_PNG_TYPES = {
  ic07: 128,
  ic08: 256,
  ic09: 512,
  ic10: 1024,
  ic11: 32,
  ic12: 64,
  ic13: 256,
  ic14: 512,
} as const satisfies Record<string, number>;

export type IcnsType = keyof typeof ICNS_PNG_TYPES;

/** Magic (4) + total length (4), and the same shape for each element. */
export const ICNS_HEADER_BYTES = 8;

export interface IcnsElement {
  type: string;
  /** Where the element's data (after its 8-byte header) starts. */
  offset: number;
  /** Data length, without the element header. */
  length: number;
}

/**
 * Builds an ICNS file from PNG elements, in the order given. Each PNG must be
 * exactly the size its type stands for: macOS does not rescale a mislabelled
 * element, it shows it at the wrong size.
 */
export function encodeIcns(elements: readonly { type: IcnsType; png: Uint8Array }[]): Buffer {
  if (elements.length === 0) throw new Error('ICNS: at least one element is required');
  const seen = new Set<IcnsType>();
  const parts: Buffer[] = [];
  for (const { type, png } of elements) {
    if (seen.has(type)) throw new Error(`ICNS: ${type} appears twice`);
    seen.add(type);
    const size = squareSize(png, `ICNS ${type}`);
    if (size !== ICNS_PNG_TYPES[type]) {
      throw new Error(`ICNS: ${type} must be ${ICNS_PNG_TYPES[type]}px, got ${size}px`);
    }
    const head = Buffer.alloc(ICNS_HEADER_BYTES);
    head.write(type, 0, 4, 'latin1');
    head.writeUInt32BE(ICNS_HEADER_BYTES + png.byteLength, 4);
    parts.push(head, Buffer.from(png));
  }
  const total = ICNS_HEADER_BYTES + parts.reduce((sum, part) => sum + part.length, 0);
  const header = Buffer.alloc(ICNS_HEADER_BYTES);
  header.write('icns', 0, 4, 'latin1');
  header.writeUInt32BE(total, 4);
  return Buffer.concat([header, ...parts]);
}

/** Lists an ICNS file's elements, checking the lengths add up to the file. */
export function readIcnsElements(icns: Uint8Array): IcnsElement[] {
  const bytes = Buffer.from(icns.buffer, icns.byteOffset, icns.byteLength);
  if (bytes.length < ICNS_HEADER_BYTES || bytes.toString('latin1', 0, 4) !== 'icns') {
    throw new Error('not an ICNS: bad magic');
  }
  if (bytes.readUInt32BE(4) !== bytes.length) throw new Error('ICNS: header length does not match the file');
  const elements: IcnsElement[] = [];
  let at = ICNS_HEADER_BYTES;
  while (at < bytes.length) {
    if (at + ICNS_HEADER_BYTES > bytes.length) throw new Error('ICNS: element header is truncated');
    const length = bytes.readUInt32BE(at + 4);
    if (length < ICNS_HEADER_BYTES || at + length > bytes.length) {
      throw new Error(`ICNS: element at ${at} has a bad length`);
    }
    elements.push({
      type: bytes.toString('latin1', at, at + 4),
      offset: at + ICNS_HEADER_BYTES,
      length: length - ICNS_HEADER_BYTES,
    });
    at += length;
  }
  return elements;
}
