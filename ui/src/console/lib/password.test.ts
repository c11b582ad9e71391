import { describe, expect, it, vi } from 'vitest';
import { generatePassword } from './password';

describe('generatePassword', () => {
  it('makes 16 characters from the unambiguous alphabet, different each time', () => {
    const a = generatePassword();
    const b = generatePassword();
    expect(a).toMatch(/^[A-HJ-NP-Za-km-z2-9]{16}$/);
    expect(b).toHaveLength(16);
    expect(a).not.toBe(b);
  });

  it('draws from crypto.getRandomValues and skips the bytes that would bias it', () => {
    const spy = vi.spyOn(crypto, 'getRandomValues').mockImplementation((arr: ArrayBufferView) => {
      // 255 is past the last whole multiple of the alphabet (57 * 4 = 228) and must be dropped.
      if (arr instanceof Uint8Array) arr.set(Array.from({ length: arr.length }, (_, i) => (i % 2 ? 255 : 0)));
      return arr;
    });
    try {
      expect(generatePassword(4)).toBe('AAAA');
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
