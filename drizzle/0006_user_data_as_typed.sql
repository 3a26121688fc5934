-- User data keeps the order it was typed or received in: `jsonb` stores objects with their keys
-- sorted (by length, then bytes), `json` stores the text as written and still has the `->`, `->>`
-- and `#>>` operators. Existing rows keep their (already sorted) order. One ALTER per table, so each
-- table is rewritten once.
ALTER TABLE "execution_steps"
  ALTER COLUMN "input" SET DATA TYPE json,
  ALTER COLUMN "output" SET DATA TYPE json,
  ALTER COLUMN "error" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "executions"
  ALTER COLUMN "trigger" SET DATA TYPE json,
  ALTER COLUMN "definition" SET DATA TYPE json,
  ALTER COLUMN "error" SET DATA TYPE json,
  -- The request body exactly as it arrived (null without one); a test run of the editor's draft;
  -- the execution a re-run re-ran.
  ADD COLUMN "received_body" "bytea",
  ADD COLUMN "draft" boolean DEFAULT false NOT NULL,
  ADD COLUMN "rerun_of" uuid;--> statement-breakpoint
ALTER TABLE "workflows" ALTER COLUMN "definition" SET DATA TYPE json;--> statement-breakpoint
-- The previous release reads these columns with jsonb functions (the step count of the dashboard, the
-- step names of an execution). These overloads for json keep it working if it is redeployed against
-- this schema (a rollback); a later migration drops them.
CREATE FUNCTION jsonb_array_length(json) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS 'SELECT json_array_length($1)';--> statement-breakpoint
CREATE FUNCTION jsonb_array_elements(json) RETURNS SETOF json LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS 'SELECT json_array_elements($1)';
