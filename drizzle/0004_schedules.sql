CREATE TABLE "workflow_schedules" (
	"workflow_id" uuid PRIMARY KEY NOT NULL,
	"cron" text NOT NULL,
	"timezone" text NOT NULL,
	"missed" text NOT NULL,
	"armed_at" timestamp with time zone NOT NULL,
	"next_run_at" timestamp with time zone NOT NULL,
	"last_scheduled_for" timestamp with time zone,
	"last_missed" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "scheduled_for" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "workflow_schedules" ADD CONSTRAINT "workflow_schedules_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "workflow_schedules_next_run_idx" ON "workflow_schedules" USING btree ("next_run_at");--> statement-breakpoint
CREATE UNIQUE INDEX "executions_workflow_slot_unique" ON "executions" USING btree ("workflow_id","scheduled_for") WHERE "executions"."scheduled_for" is not null;--> statement-breakpoint
-- Live updates carry a scheduled execution's slot too (0003's function, plus scheduledFor).
CREATE OR REPLACE FUNCTION live_notify_execution() RETURNS trigger LANGUAGE plpgsql AS $$
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
      'finishedAt', NEW.finished_at,
      'scheduledFor', NEW.scheduled_for
    )
  )::text);
  RETURN NULL;
END;
$$;
