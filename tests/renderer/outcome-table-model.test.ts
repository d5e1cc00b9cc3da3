// The outcome table's view without React: the rows in the order a supervisor asks for, and their
// groups. The table keeps no row model of its own, so these orders are what the screen shows.
import { describe, expect, it } from 'vitest';
import { groupOutcomes, sortOutcomes } from '../../renderer/supervisor/outcome-table-model';
import { outcomeRows } from './fixtures';

const ids = (rows: readonly { outcomeId: string }[]) => rows.map((r) => r.outcomeId);

describe('outcome table view', () => {
  it('sorts words in natural order (agent2 before agent10) and keeps the report order between equal rows', () => {
    const rows = outcomeRows(4).map((r, i) => ({ ...r, agentId: ['agent10', 'agent2', 'agent10', 'agent2'][i]! }));
    expect(ids(sortOutcomes(rows, [{ id: 'agentId', desc: false }]))).toEqual(['o-000001', 'o-000003', 'o-000000', 'o-000002']);
    expect(ids(sortOutcomes(rows, [{ id: 'agentId', desc: true }]))).toEqual(['o-000000', 'o-000002', 'o-000001', 'o-000003']);
  });

  it('sorts by a second column among rows equal in the first, and leaves the rows as they are without sorting', () => {
    const rows = outcomeRows(6);
    const byOfferThenValue = sortOutcomes(rows, [
      { id: 'offerId', desc: false },
      { id: 'expectedValue', desc: true },
    ]);
    expect(byOfferThenValue.map((r) => [r.offerId, r.expectedValue])).toEqual([
      ['off-care-1', 150],
      ['off-care-1', 130],
      ['off-care-1', 110],
      ['off-ret-1', 140],
      ['off-ret-1', 120],
      ['off-ret-1', 100],
    ]);
    expect(sortOutcomes(rows, [])).toBe(rows);
    expect(ids(rows)).toEqual(ids(outcomeRows(6)));
  });

  it('groups rows by a column in the order their first row comes, keeping every row once', () => {
    const rows = outcomeRows(7);
    const groups = groupOutcomes(rows, 'agentId');
    expect(groups.map((g) => [g.value, ids(g.rows)])).toEqual([
      ['agent01', ['o-000000', 'o-000003', 'o-000006']],
      ['agent02', ['o-000001', 'o-000004']],
      ['agent03', ['o-000002', 'o-000005']],
    ]);
    const withoutOffer = rows.map((r, i) => (i < 2 ? { ...r, offerId: null } : r));
    expect(groupOutcomes(withoutOffer, 'offerId').map((g) => [g.value, g.rows.length])).toEqual([
      [null, 2],
      ['off-ret-1', 3],
      ['off-care-1', 2],
    ]);
  });
});
