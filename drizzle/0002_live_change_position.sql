ALTER TABLE "executions" ADD COLUMN "change_xid" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "executions_user_change_idx" ON "executions" USING btree ("user_id","change_xid");