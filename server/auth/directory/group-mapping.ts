// Directory groups to our roles and teams: the configured rules in order, the first group the
// person belongs to decides. No matching group means the person may not use CLM at all.
import type { Role } from '../../../shared/contract/central-api';
import type { GroupRule } from './directory-config';

export interface Placement {
  role: Role;
  team: string | null;
}

/** Group names compare without regard to case or the spaces around DN commas ('CN=Agents, OU=x' is 'cn=agents,ou=x'). */
const groupKey = (group: string) =>
  group
    .trim()
    .replace(/\s*,\s*/g, ',')
    .toLowerCase();

export function placementFor(rules: readonly GroupRule[], groups: readonly string[]): Placement | null {
  const memberOf = new Set(groups.map(groupKey));
  const rule = rules.find((candidate) => memberOf.has(groupKey(candidate.group)));
  return rule === undefined ? null : { role: rule.role, team: rule.team };
}
