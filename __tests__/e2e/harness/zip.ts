import { inflateRawSync } from 'node:zlib';

/**
 * Reads the files of a zip archive in memory (stored and deflated entries,
 * no zip64, no encryption: what @actions/artifact's archiver writes for small
 * artifacts). Directory entries are left out. Reads the central directory,
 * so archives written as a stream (sizes in data descriptors) work.
 */
export function readZip(zip: Buffer): Record<string, Buffer> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip archive: no end of central directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50)
      throw new Error(`zip: bad central directory entry ${i}`);
    const flags = zip.readUInt16LE(offset + 8);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString(
      flags & 0x800 ? 'utf8' : 'latin1',
      offset + 46,
      offset + 46 + nameLength,
    );
    offset += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    if (compressedSize === 0xffffffff || localOffset === 0xffffffff)
      throw new Error(`zip: ${name} is zip64`);
    if (flags & 0x1) throw new Error(`zip: ${name} is encrypted`);
    if (zip.readUInt32LE(localOffset) !== 0x04034b50)
      throw new Error(`zip: bad local header of ${name}`);
    const start =
      localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const data = zip.subarray(start, start + compressedSize);
    let content: Buffer;
    if (method === 0) content = Buffer.from(data);
    else if (method === 8) content = inflateRawSync(data);
    else throw new Error(`zip: ${name} uses compression method ${method}`);
    if (content.length !== size)
      throw new Error(`zip: ${name} is ${content.length} bytes, expected ${size}`);
    files[name] = content;
  }
  return files;
}
