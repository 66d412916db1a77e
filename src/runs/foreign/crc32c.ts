/**
 * CRC-32C (Castagnoli), masked as TFRecord framing masks it: ((crc >>> 15) | (crc << 17)) + 0xa282ead8.
 * TensorBoard event files guard each record's length and data with it; a mismatch marks a
 * torn or damaged record.
 */
let table: Uint32Array | undefined;

/** Made on first use: this module is in the extension's main bundle, and activation need not pay for it. */
function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

export function crc32c(bytes: Uint8Array): number {
  const lookup = crcTable();
  let crc = 0xffffffff;
  for (const byte of bytes) crc = lookup[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
