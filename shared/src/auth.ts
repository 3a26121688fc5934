import { z } from 'zod';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'Enter your email address')
  .max(254, 'Email address is too long')
  .pipe(z.email('Enter a valid email address'));

export const passwordSchema = z
  .string()
  .min(8, 'Password must be at least 8 characters')
  .max(256, 'Password must be at most 256 characters');

export const registerInput = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  name: z.string().trim().max(100, 'Name must be at most 100 characters').optional(),
});

export const loginInput = z.strictObject({
  email: emailSchema,
  // Not the full password rule: a wrong-length password is just a wrong password.
  password: z.string().min(1, 'Enter your password').max(256, 'Password must be at most 256 characters'),
});

export type RegisterInput = z.input<typeof registerInput>;
export type LoginInput = z.input<typeof loginInput>;

/** The signed-in user as the API returns it: never the hash or the session version. */
export interface PublicUser {
  id: string;
  email: string;
  name: string | null;
  createdAt: Date;
}
