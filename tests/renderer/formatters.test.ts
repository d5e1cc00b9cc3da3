// A model's probability is never exactly zero ("< 1%"), but a share counted from rows can be: the
// supervisor's "0 of 1 accepted" reads 0%, not "< 1%".
import { describe, expect, it } from 'vitest';
import { createFormatters } from '../../renderer/format/formatters';

describe('formatters', () => {
  it.each([
    ['zh-CN', '0%', '< 1%', '38%'],
    ['en', '0%', '< 1%', '38%'],
  ] as const)('%s: a counted share of none reads 0%%, a small one "< 1%%"', (language, none, small, some) => {
    const f = createFormatters(language);
    expect(f.share(0)).toBe(none);
    expect(f.share(0.004)).toBe(small);
    expect(f.share(0.375)).toBe(some);
    expect(f.probability(0)).toBe(small);
  });
});
