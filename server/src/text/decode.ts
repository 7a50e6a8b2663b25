/** How a file's bytes became text, and what was wrong with them. */
export interface DecodedFile {
  text: string;
  /** Byte offset of the first byte that is not valid UTF-8, if any (the text then holds U+FFFD there). */
  invalidUtf8At?: number;
  /** Byte offset of the first NUL byte, if any: the file is binary. */
  nulAt?: number;
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lossyDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

export function decodeFile(bytes: Uint8Array): DecodedFile {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { text: '', nulAt: nul };
  try {
    return { text: strictDecoder.decode(bytes) };
  } catch {
    return { text: lossyDecoder.decode(bytes), invalidUtf8At: firstInvalidUtf8(bytes) };
  }
}

/** Byte offset of the first invalid UTF-8 sequence (a truncated one at the end counts). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i];
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    if (length === 3 && ((byte === 0xe0 && bytes[i + 1] < 0xa0) || (byte === 0xed && bytes[i + 1] > 0x9f))) return i;
    if (length === 4 && ((byte === 0xf0 && bytes[i + 1] < 0x90) || (byte === 0xf4 && bytes[i + 1] > 0x8f))) return i;
    i += length;
  }
  return -1;
}
