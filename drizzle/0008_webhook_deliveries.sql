CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workflow_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"method" text NOT NULL,
	"url" text NOT NULL,
	"size" integer NOT NULL,
	"headers" json NOT NULL,
	"body_preview" text NOT NULL,
	"body_truncated" boolean NOT NULL,
	"outcome" text NOT NULL,
	"status_code" integer NOT NULL,
	"reason" text,
	"response" json,
	"execution_id" uuid
);
--> statement-breakpoint
CREATE TABLE "webhook_idempotency_keys" (
	"workflow_id" uuid NOT NULL,
	"key" text NOT NULL,
	"body_hash" "bytea" NOT NULL,
	"execution_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "webhook_idempotency_keys_workflow_id_key_pk" PRIMARY KEY("workflow_id","key")
);
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_idempotency_keys" ADD CONSTRAINT "webhook_idempotency_keys_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_workflow_received_idx" ON "webhook_deliveries" USING btree ("workflow_id","received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_idempotency_keys_expires_idx" ON "webhook_idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
-- Live updates of the editor's Deliveries tab: one notification per workflow per statement (ingest
-- records a whole batch of deliveries in one), naming the workflow; the tab reads its list again.
CREATE FUNCTION live_notify_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed record;
BEGIN
  FOR changed IN SELECT DISTINCT workflow_id, user_id FROM new_rows LOOP
    PERFORM pg_notify('automateos_live', json_build_object(
      'kind', 'delivery',
      'userId', changed.user_id,
      'workflowId', changed.workflow_id,
      'position', pg_snapshot_xmin(pg_current_snapshot())::text::bigint
    )::text);
  END LOOP;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER webhook_deliveries_live_notify_insert AFTER INSERT ON webhook_deliveries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION live_notify_deliveries();
--> statement-breakpoint
CREATE TRIGGER webhook_deliveries_live_notify_update AFTER UPDATE ON webhook_deliveries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION live_notify_deliveries();
