-- Written by hand (drizzle-kit does not generate extensions): the search index below needs both.
-- Both are trusted extensions, so the database owner may create them without being a superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
DROP INDEX "workflows_user_updated_idx";--> statement-breakpoint
ALTER TABLE "workflows" ADD COLUMN "trigger" json GENERATED ALWAYS AS ("definition" -> 'trigger') STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "workflows" ADD COLUMN "step_count" integer GENERATED ALWAYS AS (json_array_length("definition" -> 'steps')) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "workflows_user_updated_id_idx" ON "workflows" USING btree ("user_id","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "workflows_user_name_search_idx" ON "workflows" USING gin ("user_id","name" gin_trgm_ops);