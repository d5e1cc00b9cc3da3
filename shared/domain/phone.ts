// Caller numbers arrive from the switch in several forms (+86..., 0086..., a trunk 0 prefix).
// The cache keys customers by the bare 11-digit mobile number.

const MOBILE = /^1[3-9]\d{9}$/;

/** The bare mobile number for an ANI, or null when it is not a mainland mobile (landline, withheld). */
export function normalizeMobile(ani: string): string | null {
  const compact = ani.replace(/[\s\-()]/g, '');
  // A number in international form is mainland only under +86: +1 415 555 0100 is not the mobile 14155550100.
  if (compact.startsWith('+') && !compact.startsWith('+86')) return null;
  const candidate = compact.replace(/^(\+86|0086|86|0)(?=1\d{10}$)/, '');
  return MOBILE.test(candidate) ? candidate : null;
}

/** Why a number typed for a lookup is refused: the desk backend's answer (the UI says it in words first). */
export const NOT_A_MOBILE_NUMBER = 'not a mainland mobile number: 11 digits starting with 13-19, +86 or 0086 allowed';

/** True for a number an agent may look up: a mainland mobile in any of the forms normalizeMobile reads. */
export function isMobileNumber(typed: string): boolean {
  return normalizeMobile(typed) !== null;
}
