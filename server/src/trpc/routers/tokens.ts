import { createTokenInput, tokenIdInput } from '@automateos/shared';
import { createToken, listTokens, revokeToken } from '../../services/tokens';
import { router, sessionProcedure } from '../trpc';

/** Tokens are managed from the browser session only: a token cannot mint or revoke tokens. */
export const tokensRouter = router({
  list: sessionProcedure.query(async ({ ctx }) => ({ items: await listTokens(ctx.deps.db, ctx.user.id) })),

  /** The answer holds the token itself, once; afterwards only its prefix is ever shown. */
  create: sessionProcedure
    .input(createTokenInput)
    .mutation(({ ctx, input }) => createToken(ctx.deps.db, ctx.user.id, input, ctx.deps.clock.now())),

  revoke: sessionProcedure
    .input(tokenIdInput)
    .mutation(({ ctx, input }) => revokeToken(ctx.deps.db, ctx.user.id, input.id, ctx.deps.clock.now())),
});
