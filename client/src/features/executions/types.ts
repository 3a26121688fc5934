import type { AppRouter } from '@automateos/server/router';
import type { inferOutput, TRPCOptionsProxy } from '@trpc/tanstack-react-query';

type Api = TRPCOptionsProxy<AppRouter>;

export type ExecutionSummary = inferOutput<Api['executions']['list']>['items'][number];
export type ExecutionDetail = inferOutput<Api['executions']['get']>;
export type ExecutionStep = ExecutionDetail['steps'][number];
export type Workflow = inferOutput<Api['workflows']['get']>;
