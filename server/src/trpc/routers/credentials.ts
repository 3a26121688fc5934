import { createCredentialInput, credentialIdInput, updateCredentialInput } from '@automateos/shared';
import {
  createCredential,
  deleteCredential,
  getCredential,
  listCredentials,
  testCredential,
  updateCredential,
} from '../../services/credentials';
import { protectedProcedure, router } from '../trpc';

/** Secret fields go in (create, update) and never come out: every answer holds public fields only. */
export const credentialsRouter = router({
  list: protectedProcedure.query(async ({ ctx }) => ({
    items: await listCredentials(ctx.deps.db, ctx.user.id),
  })),

  get: protectedProcedure
    .input(credentialIdInput)
    .query(({ ctx, input }) => getCredential(ctx.deps.db, ctx.user.id, input.id)),

  create: protectedProcedure
    .input(createCredentialInput)
    .mutation(({ ctx, input }) => createCredential(ctx.deps, ctx.user.id, input)),

  update: protectedProcedure
    .input(updateCredentialInput)
    .mutation(({ ctx, input }) => updateCredential(ctx.deps, ctx.user.id, input)),

  delete: protectedProcedure
    .input(credentialIdInput)
    .mutation(({ ctx, input }) => deleteCredential(ctx.deps.db, ctx.user.id, input.id)),

  /** The type's harmless check; `{ ok, message }`, the message redacted. */
  test: protectedProcedure
    .input(credentialIdInput)
    .mutation(({ ctx, input }) => testCredential(ctx.deps, ctx.user.id, input.id)),
});
