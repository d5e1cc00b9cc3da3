// The operator's value parameters (CLV economics, tier shares, key-customer rule), versioned
// like the lifecycle config.
import { z } from 'zod';

export const ValueConfig = z.object({
  version: z.string().min(1),
  /** Share of ARPU that is margin. */
  marginRate: z.number().gt(0).max(1),
  annualDiscountRate: z.number().min(0).max(1),
  horizonMonths: z.number().int().positive().max(240),
  /** Shares of the book by CLV, from the top: platinum, then gold, then silver; the rest is bronze. */
  tierShares: z
    .object({ platinum: z.number().gt(0), gold: z.number().gt(0), silver: z.number().gt(0) })
    .refine((s) => s.platinum + s.gold + s.silver < 1, 'tier shares must leave room for bronze'),
  /** Personal key customer (个人大客户): platinum, long-standing and high-spending. */
  keyCustomer: z.object({ minTenureMonths: z.number().int().nonnegative(), minArpu3m: z.number().nonnegative() }),
});
export type ValueConfig = z.infer<typeof ValueConfig>;

export const DEFAULT_VALUE_CONFIG: ValueConfig = {
  version: 'value-2026.11-1',
  marginRate: 0.45,
  annualDiscountRate: 0.08,
  horizonMonths: 36,
  tierShares: { platinum: 0.05, gold: 0.15, silver: 0.3 },
  keyCustomer: { minTenureMonths: 24, minArpu3m: 150 },
};
