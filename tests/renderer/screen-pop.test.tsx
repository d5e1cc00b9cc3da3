// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CALL_OFFERED_MARK, CARD_PAINTED_MARK, SCREEN_POP_MEASURE } from '../../renderer/perf/screen-pop';
import { FakeDeskClient } from './fake-desk-client';
import { AGENT_SESSION, callEvent, knownCard, prospectCard, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(() => {
  cleanup();
  performance.clearMarks();
  performance.clearMeasures();
});

function signedInClient(card = knownCard()) {
  return new FakeDeskClient({
    'session/current': () => AGENT_SESSION,
    'sync/status': () => SYNC_ONLINE,
    'card/byPhone': () => card,
  });
}

describe('screen pop', () => {
  it('paints the card the desk sent with the ringing call, without asking for it again', async () => {
    const client = signedInClient();
    renderDesk(client);
    expect(await screen.findByText('等待来电')).toBeTruthy();

    act(() => client.emit(callEvent('offered', 'call-8', '+8613800138000', knownCard())));

    // Painted in the same render as the banner: no lookup state in between, no card/byPhone call.
    const card = screen.getByTestId('card');
    expect(within(card).getByTestId('card-name').textContent).toContain('张伟');
    expect(within(card).getByTestId('offer-best').textContent).toContain('续约送 20GB 流量');
    expect(screen.getByTestId('incoming-call').dataset.state).toBe('offered');
    expect(client.callsTo('card/byPhone')).toEqual([]);
  });

  it('looks the caller up on an offered call and paints name, stage, value, risk and the best offer', async () => {
    const client = signedInClient();
    renderDesk(client);
    expect(await screen.findByText('等待来电')).toBeTruthy();

    act(() => client.emit(callEvent('offered', 'call-7', '+8613800138000')));

    expect(client.callsTo('card/byPhone')).toEqual([{ phone: '+8613800138000', callId: 'call-7', purpose: 'call' }]);
    const banner = screen.getByTestId('incoming-call');
    expect(banner.dataset.state).toBe('offered');
    expect(banner.textContent).toContain('138****8000');

    const card = await screen.findByTestId('card');
    expect(within(card).getByTestId('card-name').textContent).toContain('张伟');
    expect(within(card).getByTestId('card-phone').textContent).toBe('138****8000');
    expect(within(card).getByTestId('card-stage').textContent).toBe('D衰退期');
    expect(within(card).getByTestId('card-stage-reasons').textContent).toContain('ARPU 下降 30%(近3个月)');
    expect(within(card).getByTestId('card-tier').textContent).toBe('银');
    expect(within(card).getByTestId('card-clv').textContent).toMatch(/^¥/);
    expect(within(card).getByTestId('card-risk').textContent).toBe('95%');
    const warning = within(card).getByTestId('card-warning');
    expect(warning.textContent).toBe('红色预警');
    expect(warning.dataset.level).toBe('red');
    const riskReasons = within(card).getByTestId('card-risk-reasons');
    expect(riskReasons.querySelectorAll('li')).toHaveLength(3);
    expect(riskReasons.textContent).toContain('近30天投诉 2 次');

    const best = within(card).getByTestId('offer-best');
    expect(best.textContent).toContain('续约送 20GB 流量');
    expect(best.textContent).toContain('挽留');
    expect(best.textContent).toContain('适合衰退期客户');
    expect(within(card).getByTestId('script-opening').textContent).toBe('张伟您好,感谢您在网75个月。');
    expect(within(card).getByTestId('offer-alt-0').textContent).toContain('网络问题致歉礼包');
    expect(within(card).getByTestId('offer-alt-1').textContent).toContain('降档保号 59 元');

    act(() => client.emit(callEvent('answered', 'call-7')));
    expect(screen.getByTestId('incoming-call').dataset.state).toBe('answered');
  });

  it('marks call-offered and card-painted and measures the screen pop', async () => {
    const client = signedInClient();
    renderDesk(client);
    await screen.findByText('等待来电');
    act(() => client.emit(callEvent('offered', 'call-8')));
    expect(performance.getEntriesByName(CALL_OFFERED_MARK)).toHaveLength(1);
    await screen.findByTestId('card');
    await waitFor(() => expect(performance.getEntriesByName(SCREEN_POP_MEASURE)).toHaveLength(1));
    expect(performance.getEntriesByName(CARD_PAINTED_MARK)).toHaveLength(1);
  });

  it('ignores events for other calls and a late answer for an earlier caller', async () => {
    let release: (() => void) | null = null;
    const client = new FakeDeskClient({
      'session/current': () => AGENT_SESSION,
      'sync/status': () => SYNC_ONLINE,
      'card/byPhone': ({ phone }) =>
        phone === '13800138000'
          ? new Promise((resolve) => {
              release = () => resolve(knownCard());
            })
          : prospectCard(phone),
    });
    renderDesk(client);
    await screen.findByText('等待来电');
    act(() => client.emit(callEvent('offered', 'call-a', '13800138000')));
    act(() => client.emit(callEvent('offered', 'call-b', '13900001111')));
    expect((await screen.findByTestId('card')).dataset.kind).toBe('prospect');
    await act(async () => release?.());
    expect(screen.getByTestId('card').dataset.kind).toBe('prospect');
    act(() => client.emit(callEvent('ended', 'call-a')));
    expect(screen.getByTestId('incoming-call').dataset.state).toBe('offered');
  });

  it('shows a prospect banner, no value or risk figures, and the acquisition offer', async () => {
    const client = signedInClient(prospectCard());
    renderDesk(client);
    await screen.findByText('等待来电');
    act(() => client.emit(callEvent('offered', 'call-9', '13900001111')));

    const card = await screen.findByTestId('card');
    expect(card.dataset.kind).toBe('prospect');
    expect(within(card).getByTestId('card-name').textContent).toBe('潜在客户');
    expect(within(card).getByTestId('prospect-banner').textContent).toContain('139****1111');
    expect(within(card).getByTestId('card-stage').textContent).toBe('潜在客户期');
    expect(within(card).getByTestId('card-stage-reasons').textContent).toBe('非本网用户');
    expect(within(card).queryByTestId('card-tier')).toBeNull();
    expect(within(card).queryByTestId('card-risk')).toBeNull();
    expect(within(card).getByTestId('offer-best').textContent).toContain('新入网首月免费');
    expect(within(card).getByTestId('offer-best').textContent).toContain('新客获取');
    expect(within(card).queryByTestId('offer-alt-0')).toBeNull();
  });

  it('looks a number up by hand', async () => {
    const client = signedInClient();
    renderDesk(client);
    const input = await screen.findByTestId('lookup-input');
    fireEvent.change(input, { target: { value: ' 13800138000 ' } });
    fireEvent.click(screen.getByTestId('lookup-submit'));
    expect(await screen.findByTestId('card')).toBeTruthy();
    expect(client.callsTo('card/byPhone')).toEqual([{ phone: '13800138000', callId: null, purpose: 'lookup' }]);
    expect(screen.queryByTestId('incoming-call')).toBeNull();
  });
});
