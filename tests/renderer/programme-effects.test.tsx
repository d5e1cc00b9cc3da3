// @vitest-environment jsdom
// The supervisor's programme report: treated against control churn with the interval and P(helps),
// the value of the customers kept, and a plain "not enough data yet", in both languages.
import { cleanup, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeskI18n } from '../../renderer/i18n/create-i18n';
import type { Language } from '../../renderer/i18n/languages';
import { ProgrammeEffects } from '../../renderer/supervisor/ProgrammeEffects';
import { PROGRAMME_EFFECTS, REPORT_OFFER_NAMES } from './fixtures';

afterEach(cleanup);

function renderIn(language: Language, programmes = PROGRAMME_EFFECTS) {
  render(
    <I18nextProvider i18n={createDeskI18n(language)}>
      <ProgrammeEffects programmes={programmes} offerNames={REPORT_OFFER_NAMES} />
    </I18nextProvider>,
  );
  const [measured, young] = screen.getAllByTestId('programme');
  return { measured: measured!, young: young! };
}

/** Ids and snake_case codes must never reach a supervisor. */
const RAW_CODE = /PRG-|off-ret|off-care|recent_complaint|network_fault|undefined|null|NaN/;

describe('programme report', () => {
  it('shows churn of treated and control, the difference with its interval, P(helps) and the value, in Chinese', () => {
    const { measured } = renderIn('zh-CN');
    expect(measured.dataset.verdict).toBe('helps');
    expect(within(measured).getByTestId('programme-verdict').textContent).toBe('计划有效:90 天流失率比对照组低 4.1 个百分点(95% 区间 0.3 至 8.8)。');
    const rows = within(measured).getAllByTestId('programme-window');
    expect(rows.map((r) => r.dataset.days)).toEqual(['30', '60', '90']);
    expect(rows[2]!.textContent).toContain('216 / 2,400(9%)');
    expect(rows[2]!.textContent).toContain('34 / 260(13%)');
    expect(within(measured).getByTestId('programme-assigned').textContent).toBe('已分组:干预组 3,100 人,对照组 340 人,因投诉或网络故障未纳入 410 人');
    expect(within(measured).getByTestId('programme-net').textContent).toMatch(/^¥/);
    expect(measured.textContent).not.toMatch(RAW_CODE);
  });

  it('says plainly when the data is not enough yet, with the group sizes', () => {
    const { young } = renderIn('zh-CN');
    expect(young.dataset.verdict).toBe('notEnough');
    expect(within(young).getByTestId('programme-verdict').textContent).toBe(
      '数据尚不足,暂不能判断效果:分组满 30 天的客户每组至少需要 100 人,目前干预组 120 人、对照组 6 人。',
    );
    expect(within(young).queryByTestId('programme-value')).toBeNull();
    expect(young.textContent).not.toMatch(RAW_CODE);
  });

  it('reads the same in English', () => {
    const { measured, young } = renderIn('en');
    expect(within(measured).getByTestId('programme-verdict').textContent).toBe(
      'The programme works: 4.1 percentage points less churn than the control group at 90 days (95 % interval 0.3 to 8.8).',
    );
    expect(within(young).getByTestId('programme-verdict').textContent).toBe(
      'Not enough data yet to tell: each group needs at least 100 customers assigned 30 days ago; now treated 120, control 6.',
    );
    expect(screen.getByTestId('programmes').textContent).not.toMatch(RAW_CODE);
  });

  it('says so when no programme has a control group', () => {
    render(
      <I18nextProvider i18n={createDeskI18n('en')}>
        <ProgrammeEffects programmes={[]} offerNames={REPORT_OFFER_NAMES} />
      </I18nextProvider>,
    );
    expect(screen.getByTestId('programmes').textContent).toContain('No retention programme in the catalogue has a control group');
  });
});
