import type { AppRouter } from '@automateos/server/router';
import { type QueryClient, skipToken, useQuery } from '@tanstack/react-query';
import type { inferOutput, TRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { createContext, useMemo } from 'react';
import { useTRPC } from '../../../lib/trpc';

type Api = TRPCOptionsProxy<AppRouter>;
type SampleData = inferOutput<Api['workflows']['sampleData']>;
export type StepSample = SampleData['steps'][number];

/**
 * Real data for the field picker and the sample `curl`: what the trigger delivered last (or the
 * test payload being typed, before anything ran) and each step's last output.
 */
export interface FieldSamples {
  trigger: {
    fields: Record<string, unknown>;
    /** Where it comes from, for people: "the last execution", "the test payload". */
    source: string;
    at?: Date;
  } | null;
  steps: ReadonlyMap<string, StepSample>;
}

export const noSamples: FieldSamples = { trigger: null, steps: new Map() };

export const FieldSamplesContext = createContext<FieldSamples>(noSamples);

/**
 * The workflow's samples (none before its first save). The test payload being typed (`testPayload`,
 * its text) stands in for the trigger body while the workflow has never run. The same object while
 * nothing changed, so the memoized inputs that read it are not re-rendered by every keystroke.
 */
export function useFieldSamples(workflowId: string | null, testPayload: string | null): FieldSamples {
  const trpc = useTRPC();
  const samples = useQuery({
    ...trpc.workflows.sampleData.queryOptions(workflowId ? { id: workflowId } : skipToken),
    // Follows test runs (refreshed when one finishes); no need to refetch on focus.
    refetchOnWindowFocus: false,
  });
  const data = samples.data;
  return useMemo((): FieldSamples => {
    const last = data?.trigger;
    const typed = last ? undefined : parseTestPayload(testPayload);
    return {
      trigger: last
        ? {
            fields: last.fields,
            source: last.mode === 'manual' ? 'the last test run' : 'the last execution',
            at: last.createdAt,
          }
        : typed !== undefined
          ? { fields: { body: typed, query: {}, headers: {}, method: 'POST' }, source: 'the test payload' }
          : null,
      steps: new Map((data?.steps ?? []).map((step) => [step.stepId, step])),
    };
  }, [data, testPayload]);
}

function parseTestPayload(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** After a test run finishes: the picker offers what it produced. */
export function refreshFieldSamples(queryClient: QueryClient, trpc: ReturnType<typeof useTRPC>, id: string) {
  return queryClient.invalidateQueries(trpc.workflows.sampleData.queryFilter({ id }));
}
