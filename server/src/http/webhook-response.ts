/**
 * The `whenFinished` response mode: the request stays open until the worker has finished the
 * execution (this process waits on the live-updates notifications; it never polls and never runs a
 * step), then gets the chosen step's output. Past the configured time it gets the usual 202.
 */
import type { WebhookResponseConfig } from '@automateos/shared';
import { and, desc, eq } from 'drizzle-orm';
import type { Response } from 'express';
import type { Db } from '../db/client';
import { executionSteps, executions } from '../db/schema';
import type { LiveHub } from '../live/hub';
import { recordAnswer } from '../services/deliveries';

export async function answerWhenFinished(
  deps: { db: Db; live: Pick<LiveHub, 'waitForFinish'> },
  res: Response,
  executionId: string,
  config: WebhookResponseConfig,
  deliveryId: string,
): Promise<void> {
  const waiting = new AbortController();
  const timer = setTimeout(() => waiting.abort(), config.timeoutMs);
  // A caller that hangs up stops the wait; the execution goes on. (The request's own `close` fires
  // as soon as its body has been read: the response's is the connection's.)
  const onClose = () => waiting.abort();
  res.on('close', onClose);
  let answer: { statusCode: number; body: unknown; headers: Record<string, string> };
  try {
    const status = await deps.live.waitForFinish(executionId, waiting.signal).catch(() => null);
    answer = status
      ? await finishedAnswer(deps.db, executionId, status, config)
      : { statusCode: 202, body: { executionId }, headers: {} };
  } catch {
    // The result could not be read (the database went away): the execution is safe, say where it is.
    answer = { statusCode: 202, body: { executionId }, headers: {} };
  } finally {
    clearTimeout(timer);
    res.off('close', onClose);
  }
  if (!res.headersSent && !res.destroyed) {
    res.status(answer.statusCode).set(answer.headers).json(answer.body);
  }
  await recordAnswer(deps.db, deliveryId, { statusCode: answer.statusCode, response: answer.body }).catch(
    () => {},
  );
}

async function finishedAnswer(
  db: Db,
  executionId: string,
  status: string,
  config: WebhookResponseConfig,
): Promise<{ statusCode: number; body: unknown; headers: Record<string, string> }> {
  const headers = { ...config.headers, 'X-Execution-Id': executionId };
  if (status === 'failed') {
    const [row] = await db
      .select({ error: executions.error })
      .from(executions)
      .where(eq(executions.id, executionId));
    return {
      statusCode: 500,
      body: {
        error: {
          code: 'EXECUTION_FAILED',
          message: row?.error?.message ?? 'The workflow failed.',
          executionId,
        },
      },
      headers: { 'X-Execution-Id': executionId },
    };
  }
  const where = config.stepId
    ? and(eq(executionSteps.executionId, executionId), eq(executionSteps.stepId, config.stepId))
    : eq(executionSteps.executionId, executionId);
  const [step] = await db
    .select({ output: executionSteps.output })
    .from(executionSteps)
    .where(where)
    .orderBy(desc(executionSteps.position))
    .limit(1);
  // No step ran (none configured, or a filter stopped the run before the chosen one): null.
  return { statusCode: config.statusCode, body: step?.output ?? null, headers };
}
