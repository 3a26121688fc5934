-- Live updates (server/src/live/). Every change to an execution and every recorded step is announced
-- on the `automateos_live` channel by the transaction that makes it, so the announcement is delivered
-- exactly when (and only if) the change commits, whoever wrote it: web ingest, a worker, a re-run.
-- Payloads are small: an execution's ids, status and timestamps as the change left them; a step's ids
-- (its input and output are read from the row).
--
-- `position` is the oldest transaction still running when the change was made: every transaction
-- older than it has committed (or aborted) before this one commits, so a listener that received this
-- notification has received theirs too. A subscriber that resumes from a position re-reads the rows
-- whose `change_xid` is at least that position.
CREATE FUNCTION live_mark_execution_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.change_xid := pg_current_xact_id()::text::bigint;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER executions_live_mark BEFORE INSERT OR UPDATE ON executions
  FOR EACH ROW EXECUTE FUNCTION live_mark_execution_change();
--> statement-breakpoint
CREATE FUNCTION live_notify_execution() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- A notification holds at most 8000 bytes: a large error is left out (the row has it).
  error_fits boolean := NEW.error IS NULL OR octet_length(NEW.error::text) <= 4000;
BEGIN
  PERFORM pg_notify('automateos_live', json_build_object(
    'kind', 'execution',
    'userId', NEW.user_id,
    'position', pg_snapshot_xmin(pg_current_snapshot())::text::bigint,
    'errorOmitted', NOT error_fits,
    -- The execution as a list shows it, as this change left it.
    'execution', json_build_object(
      'id', NEW.id,
      'workflowId', NEW.workflow_id,
      'workflowName', (SELECT name FROM workflows WHERE id = NEW.workflow_id),
      'status', NEW.status,
      'mode', NEW.mode,
      'error', CASE WHEN error_fits THEN NEW.error END,
      'attempt', NEW.attempt,
      'createdAt', NEW.created_at,
      'startedAt', NEW.started_at,
      'finishedAt', NEW.finished_at
    )
  )::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER executions_live_notify AFTER INSERT OR UPDATE ON executions
  FOR EACH ROW EXECUTE FUNCTION live_notify_execution();
--> statement-breakpoint
CREATE FUNCTION live_notify_step() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('automateos_live', json_build_object(
    'kind', 'step',
    'executionId', NEW.execution_id,
    'stepId', NEW.step_id,
    'status', NEW.status,
    'position', pg_snapshot_xmin(pg_current_snapshot())::text::bigint
  )::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER execution_steps_live_notify AFTER INSERT ON execution_steps
  FOR EACH ROW EXECUTE FUNCTION live_notify_step();
