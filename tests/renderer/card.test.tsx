// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CustomerCard } from '../../shared/contract/desk-api';
import { FakeDeskClient } from './fake-desk-client';
import { AGENT_SESSION, callEvent, knownCard, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(cleanup);

async function popCard(card: CustomerCard = knownCard(), language: 'zh-CN' | 'en' = 'zh-CN') {
  const client = new FakeDeskClient({
    'session/current': () => AGENT_SESSION,
    'sync/status': () => SYNC_ONLINE,
    'card/byPhone': () => card,
  });
  renderDesk(client, { language });
  await screen.findByTestId('waiting');
  act(() => client.emit(callEvent('offered')));
  return screen.findByTestId('card');
}

const alt = (code: string) => fireEvent.keyDown(window, { code, altKey: true });

describe('the card', () => {
  it('says what to do with the customer and why', async () => {
    const card = await popCard();
    const decision = within(card).getByTestId('decision');
    expect(decision.dataset.kind).toBe('retain');
    expect(decision.textContent).toContain('建议挽留');
    expect(within(decision).getByTestId('decision-reasons').textContent).toBe('流失概率 95%');
  });

  it('explains a let-go decision as a care action', async () => {
    const card = await popCard(
      knownCard({ decision: { kind: 'let_go', reasons: [{ code: 'retention_does_not_pay', params: { offerId: 'off-ret-1', expectedValue: -12 } }] } }),
      'en',
    );
    const decision = within(card).getByTestId('decision');
    expect(decision.textContent).toContain('Retention does not pay: care action');
    expect(decision.textContent).toContain('best expected value -¥12');
  });

  it('reads a probability below 1 % as "< 1%", with no warning and no reason, in both languages (issue 14)', async () => {
    const calm = knownCard();
    const assessment = { ...calm.assessment, churnProbability: 0.004, warningLevel: 'none' as const, topReasons: [] };
    for (const [language, belowWarning] of [
      ['zh-CN', '未达预警线'],
      ['en', 'Below the warning line'],
    ] as const) {
      const card = await popCard({ ...calm, assessment }, language);
      expect(within(card).getByTestId('card-risk').textContent).toBe('< 1%');
      expect(within(card).getByTestId('card-warning').dataset.level).toBe('none');
      expect(within(card).getByTestId('card-risk-reasons').textContent).toContain(belowWarning);
      cleanup();
    }
  });

  it('shows the best offer and two alternatives, each with expected value, its breakdown, badges and why', async () => {
    const card = await popCard();
    const best = within(card).getByTestId('offer-best');
    expect(within(best).getByTestId('offer-ev').textContent).toBe('预期价值 ¥512.40');
    const breakdown = within(best).getByTestId('offer-economics').textContent;
    expect(breakdown).toContain('接受概率42%');
    expect(breakdown).toContain('价值¥1,350');
    expect(breakdown).toContain('成本¥60');
    expect(breakdown).toContain('接触成本¥5.40');
    expect(within(best).getByTestId('offer-arm').dataset.arm).toBe('champion');
    expect(within(best).queryByTestId('offer-explored')).toBeNull();
    expect(within(best).getByTestId('offer-why').textContent).toBe('适合衰退期客户');

    const [care, downgrade] = [within(card).getByTestId('offer-alt-0'), within(card).getByTestId('offer-alt-1')];
    // A care action is labelled as care with what it costs (action + call), not with an expected value.
    expect(within(care).getByTestId('offer-care-cost').textContent).toBe('关怀动作 · 总成本 ¥96.00');
    expect(within(care).queryByTestId('offer-ev')).toBeNull();
    expect(within(care).getByTestId('offer-explored').textContent).toBe('探索中');
    expect(within(downgrade).getByTestId('offer-arm').textContent).toBe('挑战方案');
    expect(downgrade.textContent).toContain('适合衰退期客户');
  });

  it('lists the offers the contact policy held back, folded, with the reason', async () => {
    const card = await popCard();
    const held = within(card).getByTestId('offers-suppressed') as HTMLDetailsElement;
    expect(held.open).toBe(false);
    expect(held.querySelector('summary')?.textContent).toBe('1 个方案因接触策略暂不推荐');
    expect(held.textContent).toContain('5G 升档包');
    expect(held.textContent).toContain('合约 25 天后到期');
  });

  it('walks opening → pitch → objections with Alt+J / Alt+K, the likely objection first and marked', async () => {
    const card = await popCard();
    const script = within(card).getByTestId('script');
    const current = () => card.querySelector('[aria-current="step"], .objections li.current button')?.textContent ?? '';
    expect(script.dataset.step).toBe('0');
    expect(within(card).getByTestId('script-step-opening').getAttribute('aria-current')).toBe('step');
    expect(within(card).getByTestId('objection-price-likely').textContent).toBe('可能');
    expect(within(card).queryByTestId('objection-network-likely')).toBeNull();

    alt('KeyJ');
    expect(within(card).getByTestId('script-step-pitch').getAttribute('aria-current')).toBe('step');
    expect(current()).toContain('为您准备了续约送 20GB 流量');
    alt('KeyJ');
    expect(within(card).getByTestId('objection-price').getAttribute('aria-expanded')).toBe('true');
    expect(within(card).getByTestId('objection-price-answer').textContent).toBe('优惠后每月更省钱。');
    alt('KeyJ');
    expect(within(card).getByTestId('objection-network').getAttribute('aria-expanded')).toBe('true');
    expect(within(card).queryByTestId('objection-price-answer')).toBeNull();
    alt('KeyJ'); // the last step stays
    expect(within(card).getByTestId('objection-network').getAttribute('aria-expanded')).toBe('true');
    alt('KeyK');
    alt('KeyK');
    expect(within(card).getByTestId('script-step-pitch').getAttribute('aria-current')).toBe('step');

    // Alt+O jumps straight to the objections and cycles through them.
    alt('KeyO');
    expect(within(card).getByTestId('objection-price').getAttribute('aria-expanded')).toBe('true');
    alt('KeyO');
    alt('KeyO');
    expect(within(card).getByTestId('objection-price').getAttribute('aria-expanded')).toBe('true');
  });

  it('presents the next offer with Alt+P and starts its script from the opening', async () => {
    const card = await popCard();
    alt('KeyJ');
    alt('KeyP');
    expect(within(card).getByTestId('offer-best').dataset.offerId).toBe('off-care-1');
    expect(within(card).getByTestId('script').dataset.step).toBe('0');
    alt('KeyP');
    alt('KeyP');
    expect(within(card).getByTestId('offer-best').dataset.offerId).toBe('off-ret-1');
  });

  it('lists a shortcut for every agent action, naming Alt once and each key after it', async () => {
    await popCard();
    const hints = screen.getByTestId('shortcut-hints');
    const listed = [...hints.querySelectorAll<HTMLElement>('[data-keys]')].map((hint) => hint.dataset.keys);
    for (const keys of ['Alt+1…4', 'Alt+R', 'Alt+N', 'Alt+S', 'Alt+J / Alt+K', 'Alt+O', 'Alt+P', 'Alt+L', 'Alt+Q', 'Alt+Y', 'Alt+C', 'Alt+W', 'Alt+I']) {
      expect(listed).toContain(keys);
    }
    expect(hints.textContent).toMatch(/^按住 Alt \+1…4 选择结果R 原因/);
    expect(hints.querySelector('[data-keys="Alt+J / Alt+K"]')!.getAttribute('title')).toBe('Alt+J / Alt+K');
  });
});
