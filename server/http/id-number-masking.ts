// Role-based masking of resident ID numbers in served documents. Counter staff ('store') verify ID
// cards and admins administer the book; every other role sees the masked form only.
import type { Role } from '../../shared/contract/central-api';
import { maskIdNumber } from '../../shared/domain/masking';

export const ROLES_SEEING_ID_NUMBERS: readonly Role[] = ['store', 'admin'];

export const seesIdNumbers = (role: Role) => ROLES_SEEING_ID_NUMBERS.includes(role);

// The field as PostgreSQL prints jsonb (`"key": "value"`). A customer document has idNumber at the
// top level only, and inside any string value quotes are escaped (\"), so the pattern cannot match there.
const ID_NUMBER_FIELD = /"idNumber": ?"((?:[^"\\]|\\.)*)"/;

/**
 * The customer document's JSON text with its idNumber masked (the same length, so the Customer
 * schema still holds), without parsing the document: sync pages splice stored text as-is.
 * Throws rather than serve a document whose number it cannot find.
 */
export function maskIdNumberInJson(customerJson: string): string {
  const match = ID_NUMBER_FIELD.exec(customerJson);
  if (match === null) throw new Error('customer document without an idNumber field: refusing to serve it unmasked');
  const masked = `"idNumber": ${JSON.stringify(maskIdNumber(JSON.parse(`"${match[1]}"`) as string))}`;
  return customerJson.slice(0, match.index) + masked + customerJson.slice(match.index + match[0].length);
}
