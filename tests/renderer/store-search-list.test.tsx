// @vitest-environment jsdom
// The store counter's result list: a count (and a word when the list is capped), column headings,
// one row of the same six cells per customer whether active or churned, pinyin matches labelled.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SEARCH_MAX_MATCHES, type SearchMatch } from '../../shared/contract/desk-api';
import { FakeDeskClient } from './fake-desk-client';
import { SEARCH_MATCHES, STORE_SESSION, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(cleanup);

const PINYIN_MATCH: SearchMatch = { ...SEARCH_MATCHES[0]!, customerId: 'c-1004', name: '曾小明', matchedOn: 'pinyin' };
const MANY: SearchMatch[] = Array.from({ length: SEARCH_MAX_MATCHES }, (_, i) => ({ ...SEARCH_MATCHES[0]!, customerId: `c-${2000 + i}`, name: `陈${i}` }));

function counter() {
  return new FakeDeskClient({
    'session/current': () => STORE_SESSION,
    'sync/status': () => SYNC_ONLINE,
    'customer/search': ({ query }) => {
      if (query === '陈') return { matches: MANY, truncated: true };
      if (query === 'zxm') return { matches: [PINYIN_MATCH], truncated: false };
      return { matches: SEARCH_MATCHES, truncated: false };
    },
  });
}

async function search(query: string) {
  const input = await screen.findByTestId('search-input');
  fireEvent.change(input, { target: { value: query } });
  fireEvent.submit(input.closest('form')!);
  return screen.findByTestId('search-panel');
}

describe('store counter result list', () => {
  it('says how many customers match and lists each in the same six columns, churned ones too', async () => {
    renderDesk(counter());
    const panel = await search('张伟');
    expect(within(panel).getByTestId('search-count').textContent).toBe('3 位匹配客户');
    const headings = panel.querySelector('.search-columns')!;
    expect([...headings.children].map((cell) => cell.textContent)).toEqual(['姓名', '号码', '证件号', '套餐', '状态', '匹配']);
    const rows = within(panel).getAllByTestId('search-match');
    expect(rows.map((row) => row.children.length)).toEqual([6, 6, 6]);
    const churned = rows[2]!;
    expect([...churned.children].map((cell) => cell.textContent)).toEqual([
      '章伟',
      '137****3333',
      '440101********9012',
      '畅享 99 元套餐',
      '已离网',
      '相似姓名',
    ]);
    expect(churned.className).toBe(rows[0]!.className); // no special layout for an ex-customer
  });

  it('says when the list is capped and how many are shown', async () => {
    renderDesk(counter());
    const count = within(await search('陈')).getByTestId('search-count');
    expect(count.dataset.truncated).toBe('true');
    expect(count.textContent).toBe(`显示前 ${SEARCH_MAX_MATCHES} 位,还有更多客户匹配:请细化查找条件`);
  });

  it('labels a match found by pinyin, in both languages', async () => {
    renderDesk(counter());
    const panel = await search('zxm');
    expect(within(panel).getByTestId('search-match').textContent).toContain('拼音');
    fireEvent.change(screen.getByTestId('lang-switch'), { target: { value: 'en' } });
    await waitFor(() => expect(within(panel).getByTestId('search-count').textContent).toBe('1 match'));
    expect(within(panel).getByTestId('search-match').textContent).toContain('pinyin');
    expect([...panel.querySelector('.search-columns')!.children].map((cell) => cell.textContent)).toEqual([
      'Name',
      'Number',
      'ID number',
      'Plan',
      'Status',
      'Matched on',
    ]);
  });
});
