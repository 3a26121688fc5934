import { authRouter } from './routers/auth';
import { credentialsRouter } from './routers/credentials';
import { executionsRouter } from './routers/executions';
import { notionRouter } from './routers/notion';
import { tokensRouter } from './routers/tokens';
import { webhooksRouter } from './routers/webhooks';
import { workflowsRouter } from './routers/workflows';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  credentials: credentialsRouter,
  executions: executionsRouter,
  notion: notionRouter,
  tokens: tokensRouter,
  workflows: workflowsRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
