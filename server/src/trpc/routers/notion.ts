import { notionDataSourceInput, notionDataSourcesInput } from '@automateos/shared';
import { getNotionDataSource, listNotionDataSources } from '../../services/notion';
import { protectedProcedure, router } from '../trpc';

/** The Notion step's form: which databases the user's Notion credential can see, and one's properties. */
export const notionRouter = router({
  dataSources: protectedProcedure
    .input(notionDataSourcesInput)
    .query(({ ctx, input }) => listNotionDataSources(ctx.deps, ctx.user.id, input)),

  dataSource: protectedProcedure
    .input(notionDataSourceInput)
    .query(({ ctx, input }) => getNotionDataSource(ctx.deps, ctx.user.id, input)),
});
