// Hex as the GDB remote protocol spells it: byte strings as pairs of hex digits, numbers as bare
// hex (addresses, lengths, register numbers), 32-bit register values in target (little-endian)
// byte order, and console text hex-encoded for `O` packets and `qRcmd`. Parsers return undefined
// on anything malformed instead of throwing, so a bad packet becomes an error reply.

const HEX_DIGITS = '0123456789abcdef';

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX_DIGITS[b >>> 4] + HEX_DIGITS[b & 15];
  return s;
}

/** Pairs of hex digits to bytes; undefined when the length is odd or a character is not hex. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * A bare hex number no wider than 32 bits (every address and length of an RV32 target);
 * undefined when empty, not hex, or too large.
 */
export function parseHex32(text: string): number | undefined {
  if (!/^[0-9a-fA-F]{1,16}$/.test(text)) return undefined;
  const v = parseInt(text, 16);
  return v <= 0xffff_ffff ? v : undefined;
}

/** A 32-bit value as 8 hex digits in little-endian byte order (the `g` and `p` format). */
export function le32Hex(value: number): string {
  const v = value >>> 0;
  return toHex(Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24));
}

/** 8 hex digits in little-endian byte order to a 32-bit value; undefined if malformed. */
export function parseLe32Hex(text: string): number | undefined {
  if (text.length !== 8) return undefined;
  const b = fromHex(text);
  if (b === undefined) return undefined;
  return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
}

/** Text as hex of its UTF-8 bytes (console output, `qRcmd` commands). */
export function textToHex(text: string): string {
  return toHex(new TextEncoder().encode(text));
}

export function hexToText(hex: string): string | undefined {
  const bytes = fromHex(hex);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}
