// A caller's number as platforms deliver it (`tel:+8613800138000`, `sip:+86…@host;user=phone`,
// `0086…`, `010 1234 5678`, a bare mobile) in the two forms the rest of the system uses.
import { normalizeMobile } from '../../../shared/domain/phone';

export interface CallerNumber {
  /** `+8613800138000`, `+861012345678`, `+14155550100`. */
  e164: string;
  /** The mainland form: the bare 11-digit mobile, a landline with its trunk 0 (`01012345678`); null for a foreign number. */
  mainland: string | null;
}

const E164 = /^\+[1-9]\d{6,14}$/;
/** A mainland landline dialled with the trunk prefix: 0 + area code + subscriber number, 10 to 12 digits in all. */
const MAINLAND_LANDLINE = /^0[1-9]\d{8,10}$/;

function fromE164(e164: string): CallerNumber | null {
  if (!E164.test(e164)) return null;
  if (!e164.startsWith('+86')) return { e164, mainland: null };
  const national = e164.slice(3);
  const mobile = normalizeMobile(national);
  if (mobile !== null) return { e164, mainland: mobile };
  return MAINLAND_LANDLINE.test(`0${national}`) ? { e164, mainland: `0${national}` } : null;
}

/** Null when the number is withheld, empty or not a telephone number (an extension, `anonymous`). */
export function normalizeCallerNumber(raw: string | null | undefined): CallerNumber | null {
  if (raw === null || raw === undefined) return null;
  // A URI's scheme, host and parameters are not part of the number.
  const address = raw
    .trim()
    .replace(/^(tel|sips?):/i, '')
    .replace(/[@;].*$/, '');
  const compact = address.replace(/[\s\-().]/g, '');
  // An international form is read by its country code first: normalizeMobile alone would take
  // +1 415 555 0100 for the mainland mobile 14155550100.
  if (compact.startsWith('+')) return fromE164(compact);
  if (compact.startsWith('00')) return fromE164(`+${compact.slice(2)}`);
  const mobile = normalizeMobile(compact);
  if (mobile !== null) return { e164: `+86${mobile}`, mainland: mobile };
  if (MAINLAND_LANDLINE.test(compact)) return { e164: `+86${compact.slice(1)}`, mainland: compact };
  return null;
}
