// CLM_TOKEN_KEY values for the tests: fixed keys (32 bytes each), so a test can seal, rotate and open.
const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

export const KEY_1 = `k1:${key(1)}`;
export const KEY_2 = `k2:${key(2)}`;
/** Another key under the id k1: what a mistyped or swapped CLM_TOKEN_KEY looks like. */
export const KEY_1_WRONG = `k1:${key(9)}`;
export const TEST_TOKEN_KEY = KEY_1;
