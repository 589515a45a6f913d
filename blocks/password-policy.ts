/**
 * What a password must be, the same rule for the command line, the administrators' pages and the
 * form where a user changes theirs: long enough, not one kind of character only, not the username.
 */
export const passwordPolicy = { minLength: 10 } as const;

export type PasswordWeakness = 'too-short' | 'one-kind' | 'is-username';

/** Why `password` is not allowed for `username`, or null if it is. */
export function passwordWeakness(password: string, username: string): PasswordWeakness | null {
  if ([...password].length < passwordPolicy.minLength) return 'too-short';
  const kinds = [/\p{L}/u, /\p{N}/u, /[^\p{L}\p{N}]/u].filter((kind) => kind.test(password)).length;
  if (kinds < 2) return 'one-kind';
  if (password.toLowerCase().includes(username.trim().toLowerCase()) && username.trim() !== '') return 'is-username';
  return null;
}
