// Caller numbers arrive from the switch in several forms (+86..., 0086..., a trunk 0 prefix).
// The cache keys customers by the bare 11-digit mobile number.

const MOBILE = /^1[3-9]\d{9}$/;

/** The bare mobile number for an ANI, or null when it is not a mainland mobile (landline, withheld). */
export function normalizeMobile(ani: string): string | null {
  const digits = ani.replace(/[\s\-()]/g, '').replace(/^\+/, '');
  const candidate = digits.replace(/^(0086|86|0)(?=1\d{10}$)/, '');
  return MOBILE.test(candidate) ? candidate : null;
}
