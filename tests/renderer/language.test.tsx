// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDeskClient } from './fake-desk-client';
import { AGENT_SESSION, callEvent, knownCard, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(cleanup);

describe('language switch', () => {
  it('switches labels, reasons and the script between Chinese and English mid-call', async () => {
    const client = new FakeDeskClient({
      'session/current': () => AGENT_SESSION,
      'sync/status': () => SYNC_ONLINE,
      'card/byPhone': () => knownCard(),
    });
    const { i18n } = renderDesk(client);
    await screen.findByText('等待来电');
    act(() => client.emit(callEvent('offered')));
    const card = await screen.findByTestId('card');
    expect(within(card).getByTestId('card-warning').textContent).toBe('红色预警');

    fireEvent.change(screen.getByTestId('lang-switch'), { target: { value: 'en' } });

    expect(i18n.language).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(within(card).getByTestId('card-stage').textContent).toBe('DDecline');
    expect(within(card).getByTestId('card-tier').textContent).toBe('Silver');
    expect(within(card).getByTestId('card-warning').textContent).toBe('Red warning');
    expect(within(card).getByTestId('card-stage-reasons').textContent).toContain('ARPU down 30% over 3 months');
    expect(within(card).getByTestId('card-risk-reasons').textContent).toContain('2 complaints in 30 days');
    expect(within(card).getByTestId('card-risk-reasons').textContent).toContain('1 network issue in 90 days');
    expect(within(card).getByTestId('offer-best').textContent).toContain('Renew and get 20 GB');
    expect(within(card).getByTestId('script-opening').textContent).toBe('Hello 张伟, thank you for 75 months with us.');
    expect(screen.getByTestId('outcome-callback').textContent).toContain('Call back');
    expect(screen.getByTestId('outbox-pending').textContent).toBe('0 to upload');

    fireEvent.change(screen.getByTestId('lang-switch'), { target: { value: 'zh-CN' } });
    expect(screen.getByTestId('outcome-callback').textContent).toContain('预约回访');
  });
});
