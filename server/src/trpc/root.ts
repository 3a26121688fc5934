import { authRouter } from './routers/auth';
import { executionsRouter } from './routers/executions';
import { workflowsRouter } from './routers/workflows';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  executions: executionsRouter,
  workflows: workflowsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
