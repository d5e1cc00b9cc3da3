import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRequestCorrelator } from '../../electron/common/request-correlator';

afterEach(() => vi.useRealTimers());

describe('request correlator (main <-> data process)', () => {
  it('answers each invocation with its own result, whatever the order', async () => {
    const posted: { id: number; operation: string }[] = [];
    const correlator = createRequestCorrelator((message) => posted.push(message));
    const first = correlator.invoke('sync/status', {});
    const second = correlator.invoke('session/current', {});
    correlator.settle(posted[1]!.id, { ok: true, value: 'second' });
    correlator.settle(posted[0]!.id, { ok: true, value: 'first' });
    await expect(first).resolves.toEqual({ ok: true, value: 'first' });
    await expect(second).resolves.toEqual({ ok: true, value: 'second' });
    expect(correlator.pending).toBe(0);
  });

  it('fails open requests when the data process dies, and ignores late answers', async () => {
    const posted: { id: number }[] = [];
    const correlator = createRequestCorrelator((message) => posted.push(message));
    const open = correlator.invoke('card/byPhone', { phone: '13800000000' });
    correlator.failAll({ code: 'cache_unavailable', message: 'gone' });
    await expect(open).resolves.toEqual({ ok: false, error: { code: 'cache_unavailable', message: 'gone' } });
    correlator.settle(posted[0]!.id, { ok: true, value: 'late' });
    expect(correlator.pending).toBe(0);
  });

  it('times out a request that gets no answer', async () => {
    vi.useFakeTimers();
    const correlator = createRequestCorrelator(() => {}, 1000);
    const open = correlator.invoke('sync/now', {});
    vi.advanceTimersByTime(1001);
    const result = await open;
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('internal');
  });
});
