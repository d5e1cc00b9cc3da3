// Staff accounts the operator's administrators manage (admin routes /users and `clm users`).
import { z } from 'zod';
import { IsoDateTime } from './entities';
import { Role } from './central-api';

/** Letters, digits and . _ - ; it is also the user id CTI events and outcomes carry. */
export const Username = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/, 'a username is 2–64 letters, digits, dots, dashes or underscores, starting with a letter or digit');

/** A team code (T1, S1, …); null for admins and unassigned staff. */
export const TeamCode = z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'a team is 1–32 letters, digits, dots, dashes or underscores');

/** The agent's id on the contact-center platform, for mapping its CTI events to our user. */
export const ExternalId = z.string().trim().min(1).max(200);

export const UserAccount = z.object({
  id: z.string(),
  username: z.string(),
  role: Role,
  displayName: z.string(),
  team: z.string().nullable(),
  externalId: z.string().nullable(),
  disabled: z.boolean(),
  createdAt: IsoDateTime,
});
export type UserAccount = z.infer<typeof UserAccount>;
export const UserList = z.object({ users: z.array(UserAccount) });
export type UserList = z.infer<typeof UserList>;

// POST /users
export const CreateUserRequest = z.object({
  username: Username,
  role: Role,
  displayName: z.string().trim().min(1).max(100),
  team: TeamCode.nullable().default(null),
  externalId: ExternalId.nullable().default(null),
  password: z.string().min(1).max(256),
});
export type CreateUserRequest = z.input<typeof CreateUserRequest>;

// PATCH /users/:username: only the fields given change.
export const UpdateUserRequest = z
  .object({
    role: Role,
    displayName: z.string().trim().min(1).max(100),
    team: TeamCode.nullable(),
    externalId: ExternalId.nullable(),
    disabled: z.boolean(),
  })
  .partial()
  .refine((update) => Object.keys(update).length > 0, 'name at least one field to change');
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

// POST /users/:username/password
export const ResetPasswordRequest = z.object({ password: z.string().min(1).max(256) });
export type ResetPasswordRequest = z.infer<typeof ResetPasswordRequest>;

export const UsernameParams = z.object({ username: Username });

// POST /auth/logout: the session's refresh token, revoked with its whole chain.
export const LogoutRequest = z.object({ refreshToken: z.string().min(1).max(512) });
export type LogoutRequest = z.infer<typeof LogoutRequest>;
