import type { RouteObject } from 'react-router';
import { RedirectIfSignedIn, RequireSession } from '../features/auth/guards';
import { SignInPage } from '../features/auth/sign-in-page';
import { SignUpPage } from '../features/auth/sign-up-page';
import { CredentialsPage } from '../features/credentials/credentials-page';
import { ExecutionPage } from '../features/executions/execution-page';
import { WorkflowExecutionsPage } from '../features/executions/workflow-executions-page';
import { TokensPage } from '../features/tokens/tokens-page';
import { DashboardPage } from '../features/workflows/dashboard/dashboard-page';
import { AppShell } from './app-shell';
import { NotFoundPage } from './not-found-page';
import { PageLoading } from './page-loading';
import { RouteError } from './route-error';

export const routes: RouteObject[] = [
  {
    ErrorBoundary: RouteError,
    HydrateFallback: PageLoading,
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
              // The editor is the heaviest page: loaded when first opened.
              {
                path: 'workflows/:id',
                lazy: {
                  Component: async () =>
                    (await import('../features/workflows/editor/workflow-editor-page')).WorkflowEditorPage,
                },
              },
              { path: 'workflows/:id/executions', Component: WorkflowExecutionsPage },
              { path: 'executions/:id', Component: ExecutionPage },
              { path: 'credentials', Component: CredentialsPage },
              { path: 'settings/tokens', Component: TokensPage },
            ],
          },
        ],
      },
      { path: '*', Component: NotFoundPage },
    ],
  },
];
