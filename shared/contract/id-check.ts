// The store counter's identity check: the clerk confirms they compared the customer with the ID
// card in front of them, and only then sees the whole ID number. Store desks only; every check is
// audit-logged (a card-view audit row with purpose ID_CHECK_PURPOSE, uploaded like the others).
import { z } from 'zod';
import { IsoDateTime } from './entities';

/** The audit purpose of a shown ID number: who saw whose whole number, when. */
export const ID_CHECK_PURPOSE = 'id_check';

/** desk operation customer/revealIdNumber: refused unless the clerk confirmed the check. */
export const RevealIdNumberInput = z.object({ customerId: z.string().min(1).max(64), idCardChecked: z.literal(true) }).strict();
export const RevealIdNumberOutput = z.object({ idNumber: z.string(), checkedAt: IsoDateTime });
export type RevealIdNumberOutput = z.infer<typeof RevealIdNumberOutput>;
