// The password policy for staff accounts, stated once for the API, the CLI and the README:
// at least 12 characters, three of the four kinds (lower case, upper case, digit, other),
// not containing the username, and never a password published with the demo.

export const MIN_PASSWORD_LENGTH = 12;
/** DEMO ONLY: the demo accounts' shared password, printed in the README; valid only in demo mode. */
export const DEMO_PASSWORD = 'demo1234';
const PUBLISHED_DEMO_PASSWORDS: readonly string[] = [DEMO_PASSWORD];

/** True for a password published with the demo, which only a demo-mode server accepts. */
export const isPublishedDemoPassword = (password: string) => PUBLISHED_DEMO_PASSWORDS.includes(password);

const CHARACTER_KINDS: readonly RegExp[] = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u];

/** What is wrong with `password` for `username`, in words; empty when it passes. */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  if ([...password].length < MIN_PASSWORD_LENGTH) problems.push(`at least ${MIN_PASSWORD_LENGTH} characters`);
  if (CHARACTER_KINDS.filter((kind) => kind.test(password)).length < 3)
    problems.push('three of: lower-case letters, upper-case letters, digits, other characters');
  if (username.length > 0 && password.toLowerCase().includes(username.toLowerCase())) problems.push('must not contain the username');
  if (PUBLISHED_DEMO_PASSWORDS.some((demo) => password.toLowerCase().includes(demo))) problems.push('must not contain a published demo password');
  return problems;
}
