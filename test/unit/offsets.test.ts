import { describe, expect, it } from 'vitest';
import { LineIndex, codePointToUtf16, utf8ByteToUtf16 } from '../../server/src/text/offsets';

describe('utf8ByteToUtf16', () => {
  it('is the identity on ASCII', () => {
    expect(utf8ByteToUtf16('select 1', 0)).toBe(0);
    expect(utf8ByteToUtf16('select 1', 7)).toBe(7);
  });

  it('counts 2-byte (é), 3-byte (中) and 4-byte (😀) characters', () => {
    const text = "é中😀x";
    expect(utf8ByteToUtf16(text, 2)).toBe(1); // after é
    expect(utf8ByteToUtf16(text, 5)).toBe(2); // after 中
    expect(utf8ByteToUtf16(text, 9)).toBe(4); // after 😀 (a surrogate pair)
    expect(text[utf8ByteToUtf16(text, 9)]).toBe('x');
  });

  it('agrees with Buffer.byteLength on every prefix of mixed text', () => {
    const text = "select 'héllo 中文 😀😀' as \"naïve\", e'\\n' -- ✓\n";
    for (let i = 0; i <= text.length; i++) {
      if (i > 0 && i < text.length && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff) continue;
      expect(utf8ByteToUtf16(text, Buffer.byteLength(text.slice(0, i)))).toBe(i);
    }
  });

  it('clamps past the end', () => {
    expect(utf8ByteToUtf16('ab', 99)).toBe(2);
  });
});

describe('codePointToUtf16', () => {
  it('maps code points to UTF-16 units across surrogate pairs', () => {
    const text = "'😀😀😀' fro";
    expect(codePointToUtf16(text, 5)).toBe(text.indexOf('f') - 1);
    expect(text.slice(codePointToUtf16(text, 6))).toBe('fro');
  });

  it('is the identity for BMP text including CJK', () => {
    const text = '中文字 x';
    expect(codePointToUtf16(text, 4)).toBe(4);
  });
});

describe('LineIndex', () => {
  it('handles \\n, \\r\\n and \\r line breaks', () => {
    const index = new LineIndex('a\nbc\r\nd\re');
    expect(index.positionAt(0)).toEqual({ line: 0, character: 0 });
    expect(index.positionAt(3)).toEqual({ line: 1, character: 1 });
    expect(index.positionAt(6)).toEqual({ line: 2, character: 0 });
    expect(index.positionAt(8)).toEqual({ line: 3, character: 0 });
    expect(index.lineCount).toBe(4);
  });

  it('round-trips offsets and counts characters in UTF-16 units', () => {
    const text = '😀 é\nselect 中';
    const index = new LineIndex(text);
    for (let offset = 0; offset <= text.length; offset++) expect(index.offsetAt(index.positionAt(offset))).toBe(offset);
    expect(index.positionAt(text.indexOf('中'))).toEqual({ line: 1, character: 7 });
    expect(index.positionAt(text.indexOf('é'))).toEqual({ line: 0, character: 3 });
  });
});
