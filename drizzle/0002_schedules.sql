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
CREATE UNIQUE INDEX "executions_workflow_slot_unique" ON "executions" USING btree ("workflow_id","scheduled_for") WHERE "executions"."scheduled_for" is not null;