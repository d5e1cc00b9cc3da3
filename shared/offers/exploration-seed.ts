// Turns the caller's exploration seed (a call id) into a number seed, so the same call always
// draws the same Thompson samples and different calls draw independently; and any salted string
// into a fixed uniform draw (control groups, shadow shares).

/** FNV-1a over the string, then the murmur3 finaliser to spread the bits. */
export function seedFromString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) | 0;
}

/** A uniform number in [0, 1) fixed by the string: its seed read as an unsigned 32-bit fraction. */
export function uniformFromString(text: string): number {
  return (seedFromString(text) >>> 0) / 2 ** 32;
}
