import { loginInput, registerInput } from '@automateos/shared';
import { clientKey } from '../../auth/throttle';
import { signSession } from '../../auth/tokens';
import { authenticate, registerUser, revokeSessions, toPublicUser } from '../../services/users';
import { type Context, publicProcedure, router, sessionProcedure } from '../trpc';

async function startSession(ctx: Context, user: { id: string; sessionVersion: number }) {
  ctx.session.setToken(
    await signSession(ctx.deps.keys, { userId: user.id, sessionVersion: user.sessionVersion }),
  );
}

export const authRouter = router({
  register: publicProcedure.input(registerInput).mutation(async ({ ctx, input }) => {
    const user = await registerUser(ctx.deps.db, input, {
      client: clientKey(ctx.session.ip),
      signups: ctx.deps.config.SIGNUPS,
    });
    await startSession(ctx, user);
    return { user: toPublicUser(user) };
  }),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const user = await authenticate(ctx.deps.db, input, ctx.session.ip);
    await startSession(ctx, user);
    return { user: toPublicUser(user) };
  }),

  /** Browser sessions only: a token signing out would sign out every browser of the account. */
  logout: sessionProcedure.mutation(async ({ ctx }) => {
    await revokeSessions(ctx.deps.db, ctx.user.id);
    ctx.session.clearToken();
    return { ok: true as const };
  }),

  me: publicProcedure.query(({ ctx }) => {
    if (!ctx.user) return null;
    const { sessionVersion: _, ...user } = ctx.user;
    return { user };
  }),
});
