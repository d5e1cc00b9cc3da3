// The line under the contacted-vs-not chart. A gap that rounds to nothing on screen reads "no difference", not
// "0 percentage points less".
import type { TFunction } from 'i18next';
import type { Formatters } from '../format/formatters';

export function descriptiveDifferenceText(uplift: number | null, t: TFunction, f: Formatters): string {
  if (uplift === null) return t('report.uplift.unknown');
  const points = f.decimal(Math.abs(uplift) * 100);
  if (points === f.decimal(0)) return t('report.uplift.none');
  return t(uplift > 0 ? 'report.uplift.value' : 'report.uplift.valueMore', { points });
}
