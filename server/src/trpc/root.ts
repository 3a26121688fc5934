import { authRouter } from './routers/auth';
import { workflowsRouter } from './routers/workflows';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  workflows: workflowsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
