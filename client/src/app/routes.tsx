import type { RouteObject } from 'react-router';
import { RedirectIfSignedIn, RequireSession } from '../features/auth/guards';
import { SignInPage } from '../features/auth/sign-in-page';
import { SignUpPage } from '../features/auth/sign-up-page';
import { DashboardPage } from '../features/dashboard/dashboard-page';
import { ExecutionPage } from '../features/executions/execution-page';
import { WorkflowExecutionsPage } from '../features/executions/workflow-executions-page';
import { AppShell } from './app-shell';
import { NotFoundPage } from './not-found-page';
import { RouteError } from './route-error';

export const routes: RouteObject[] = [
  {
    ErrorBoundary: RouteError,
    children: [
      {
        Component: RedirectIfSignedIn,
        children: [
          { path: 'sign-in', Component: SignInPage },
          { path: 'sign-up', Component: SignUpPage },
        ],
      },
      {
        Component: RequireSession,
        children: [
          {
            Component: AppShell,
            children: [
              { index: true, Component: DashboardPage },
              { path: 'workflows/:id/executions', Component: WorkflowExecutionsPage },
              { path: 'executions/:id', Component: ExecutionPage },
            ],
          },
        ],
      },
      { path: '*', Component: NotFoundPage },
    ],
  },
];
