// Passwords an owner passes on by hand (read out, typed from paper): no 0/O, 1/l/I look-alikes.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** The lengths HQ accepts for a password, in characters. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

/** A random password from the browser's CSPRNG; bytes past the last whole multiple of the
 * alphabet are drawn again, so every character is equally likely (about 93 bits for 16). */
export function generatePassword(length = 16): string {
  const limit = 256 - (256 % ALPHABET.length);
  let out = '';
  const bytes = new Uint8Array(length * 2);
  while (out.length < length) {
    crypto.getRandomValues(bytes);
    for (const b of bytes) {
      if (b < limit && out.length < length) out += ALPHABET[b % ALPHABET.length];
    }
  }
  return out;
}

/** A password's length as HQ counts it (characters, not UTF-16 units). */
export const passwordLength = (password: string) => [...password].length;
