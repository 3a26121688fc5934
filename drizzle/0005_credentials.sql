CREATE TABLE "credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"public_data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"stored_secrets" text[] DEFAULT '{}' NOT NULL,
	"encrypted_data" text NOT NULL,
	"key_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "workflow_credentials" (
	"workflow_id" uuid NOT NULL,
	"credential_id" uuid NOT NULL,
	CONSTRAINT "workflow_credentials_workflow_id_credential_id_pk" PRIMARY KEY("workflow_id","credential_id")
);
--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_credentials" ADD CONSTRAINT "workflow_credentials_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_credentials" ADD CONSTRAINT "workflow_credentials_credential_id_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."credentials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "credentials_user_name_unique" ON "credentials" USING btree ("user_id",lower("name"));--> statement-breakpoint
CREATE INDEX "credentials_key_id_idx" ON "credentials" USING btree ("key_id");--> statement-breakpoint
CREATE INDEX "workflow_credentials_credential_idx" ON "workflow_credentials" USING btree ("credential_id");