// @vitest-environment jsdom
// The store card: the identity check that shows the whole ID number on this card only, and the
// counter actions in place of the phone script, in both languages. Agents get neither.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DeskClientError } from '../../renderer/transport/desk-client';
import type { Language } from '../../renderer/i18n/languages';
import { COUNTER_ACTIONS } from '../../shared/domain/counter-actions';
import type { CustomerCard, DeskOutput } from '../../shared/contract/desk-api';
import en from '../../renderer/i18n/locales/en.json';
import zhCN from '../../renderer/i18n/locales/zh-CN.json';
import { FakeDeskClient, type FakeHandlers } from './fake-desk-client';
import { ACQUISITION_OFFER, AGENT_SESSION, knownCard, SEARCH_MATCHES, STORE_SESSION, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(cleanup);

const FULL_ID = '11010119800101123X';
const revealed: DeskOutput<'customer/revealIdNumber'> = { idNumber: FULL_ID, checkedAt: '2025-06-15T09:00:00.000Z' };

function counterClient(
  handlers: FakeHandlers = {},
  card: (customerId: string) => CustomerCard = (id) => knownCard({ customer: { ...knownCard().customer!, id } }),
) {
  return new FakeDeskClient({
    'session/current': () => STORE_SESSION,
    'sync/status': () => SYNC_ONLINE,
    'customer/search': () => ({ matches: SEARCH_MATCHES, truncated: false }),
    'card/byCustomer': ({ customerId }) => card(customerId),
    'customer/revealIdNumber': () => revealed,
    ...handlers,
  });
}

async function openMatch(index: number) {
  const input = await screen.findByTestId('search-input');
  fireEvent.change(input, { target: { value: '张伟' } });
  fireEvent.submit(input.closest('form')!);
  fireEvent.click((await screen.findAllByTestId('search-match'))[index]!);
  return screen.findByTestId('card');
}

/** Opens the check, ticks the confirmation and asks for the number. */
function confirmIdCheck() {
  fireEvent.click(screen.getByTestId('id-check-start'));
  const confirm = screen.getByTestId('id-check-confirm');
  const checkbox = within(confirm).getByTestId('id-check-confirmed');
  expect(document.activeElement).toBe(checkbox); // the keyboard lands on the confirmation
  expect((screen.getByTestId('id-check-reveal') as HTMLButtonElement).disabled).toBe(true);
  fireEvent.click(checkbox);
  fireEvent.click(screen.getByTestId('id-check-reveal'));
}

const TEXT = {
  'zh-CN': {
    start: '核验身份证',
    confirm: '我已核对客户本人与身份证一致',
    checkId: '核验身份证',
    present: '介绍优惠并递交合同',
    sign: '请客户签字',
    masked: '本机只保存了打码的身份证号',
  },
  en: {
    start: 'Check ID card',
    confirm: 'I have checked the ID card against the customer in front of me',
    checkId: 'Check the ID card',
    present: 'Present the offer and hand over the agreement',
    sign: "Get the customer's signature",
    masked: 'This desk holds the ID number masked only',
  },
} satisfies Record<Language, Record<string, string>>;

describe.each(['zh-CN', 'en'] as const)('the store card in %s', (language) => {
  const text = TEXT[language];

  it('shows the whole ID number only after the clerk confirms the ID card check, and only on that card', async () => {
    const client = counterClient();
    renderDesk(client, { language });
    await openMatch(0);
    const idRow = screen.getByTestId('card-id-number');
    expect(idRow.textContent).toContain('110101********1234');
    expect(screen.getByTestId('id-check-start').textContent).toBe(text.start);

    confirmIdCheck();
    expect(screen.getByTestId('id-check-confirm').textContent).toContain(text.confirm);
    expect((await screen.findByTestId('id-number-full')).textContent).toContain(FULL_ID);
    expect(client.callsTo('customer/revealIdNumber')).toEqual([{ customerId: 'c-1001', idCardChecked: true }]);
    expect(screen.getByTestId('counter-action-check_id').dataset.done).toBe('true');

    // Another customer's card (or the same customer looked up again) starts masked.
    await openMatch(1);
    await waitFor(() => expect(screen.queryByTestId('id-number-full')).toBeNull());
    expect(screen.getByTestId('card-id-number').textContent).toContain('110101********1234');
    expect(document.body.textContent).not.toContain(FULL_ID);
    confirmIdCheck();
    await screen.findByTestId('id-number-full');
    await openMatch(1);
    await waitFor(() => expect(screen.queryByTestId('id-number-full')).toBeNull());
    expect(screen.getByTestId('id-check-start')).toBeTruthy();
  });

  it('cancels without asking the desk, and says in words why a number cannot be shown', async () => {
    let refusal: DeskClientError = new DeskClientError('forbidden', 'masked');
    const client = counterClient({
      'customer/revealIdNumber': () => {
        throw refusal;
      },
    });
    renderDesk(client, { language });
    await openMatch(0);
    fireEvent.click(screen.getByTestId('id-check-start'));
    fireEvent.click(screen.getByTestId('id-check-cancel'));
    expect(screen.queryByTestId('id-check-confirm')).toBeNull();
    expect(client.callsTo('customer/revealIdNumber')).toEqual([]);

    confirmIdCheck();
    const error = await screen.findByTestId('id-check-error');
    expect(error.dataset.code).toBe('forbidden');
    expect(error.textContent).toContain(text.masked);
    expect(screen.queryByTestId('id-number-full')).toBeNull();

    refusal = new DeskClientError('offline', 'desk service unreachable');
    confirmIdCheck();
    await waitFor(() => expect(screen.getByTestId('id-check-error').dataset.code).toBe('offline'));
    const offline = language === 'en' ? en.idCheck.error.offline : zhCN.idCheck.error.offline;
    expect(screen.getByTestId('id-check-error').textContent).toBe(offline);
  });

  it('shows counter actions for the shown offer instead of the phone script, objections kept', async () => {
    renderDesk(counterClient(), { language });
    await openMatch(0);
    expect(screen.queryByTestId('script')).toBeNull();
    expect(screen.queryByTestId('script-opening')).toBeNull();
    const actions = screen.getByTestId('counter-actions');
    const steps = within(actions).getAllByRole('listitem');
    expect(steps.map((li) => li.dataset.testid)).toEqual([
      'counter-action-check_id',
      'counter-action-present_offer',
      'counter-action-add_to_account',
      'counter-action-get_signature',
    ]);
    expect(steps[0]!.textContent).toBe(text.checkId);
    expect(steps[1]!.textContent).toContain(text.present);
    expect(steps[3]!.textContent).toBe(text.sign);
    // The offer's terms stay (the pitch), the greeting does not.
    expect(steps[1]!.textContent).toContain(language === 'en' ? 'We have Renew and get 20 GB for you.' : '为您准备了续约送 20GB 流量。');
    expect(screen.getByTestId('card').textContent).not.toMatch(/thank you for|感谢您/i);
    expect(screen.getByTestId('objection-price')).toBeTruthy();
  });
});

describe('an ID check answered late', () => {
  it('never shows the number once another card is on screen', async () => {
    let answer: (value: typeof revealed) => void = () => {};
    const { store } = renderDesk(counterClient({ 'customer/revealIdNumber': () => new Promise((resolve) => (answer = resolve)) }));
    await openMatch(0);
    confirmIdCheck();
    expect(screen.getByTestId('id-check-reveal').textContent).toBe('正在核验…');
    await openMatch(1);
    await act(async () => {
      answer(revealed);
      await new Promise((settled) => setTimeout(settled, 0)); // every promise of the answer has run
    });
    expect(store.getState().idCheck).toBeNull();
    expect(screen.queryByTestId('id-number-full')).toBeNull();
    expect(document.body.textContent).not.toContain(FULL_ID);
  });
});

describe('the counter actions', () => {
  it('follow the offer kind: a new line is opened for a prospect offer', async () => {
    renderDesk(counterClient({}, (id) => knownCard({ customer: { ...knownCard().customer!, id }, offers: [ACQUISITION_OFFER] })));
    await openMatch(0);
    expect(within(screen.getByTestId('counter-actions')).getByTestId('counter-action-open_line').textContent).toBe('办理入网并发放 SIM 卡');
  });

  it('are worded in both languages', () => {
    for (const locale of [zhCN, en]) {
      for (const action of COUNTER_ACTIONS) expect(locale.counterAction[action]).toMatch(/\S/);
    }
  });
});

describe('an agent card', () => {
  it('has no ID check and keeps the phone script', async () => {
    const client = new FakeDeskClient({
      'session/current': () => AGENT_SESSION,
      'sync/status': () => SYNC_ONLINE,
      'interaction/list': () => ({ interactions: [] }),
      'card/byPhone': () => knownCard(),
    });
    renderDesk(client);
    const input = await screen.findByTestId('lookup-input');
    fireEvent.change(input, { target: { value: '13800138000' } });
    fireEvent.submit(input.closest('form')!);
    await screen.findByTestId('card');
    expect(screen.queryByTestId('id-check-start')).toBeNull();
    expect(screen.queryByTestId('counter-actions')).toBeNull();
    expect(screen.getByTestId('script-opening')).toBeTruthy();
    expect(client.callsTo('customer/revealIdNumber')).toEqual([]);
  });
});
