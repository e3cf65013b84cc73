ALTER TYPE "public"."instance_status_code" ADD VALUE 'proxy_failed';--> statement-breakpoint
CREATE TABLE "instance_settings" (
	"instance_id" uuid PRIMARY KEY NOT NULL,
	"reject_calls" boolean DEFAULT false NOT NULL,
	"call_reply_text" text,
	"ignore_groups" boolean DEFAULT false NOT NULL,
	"ignore_status" boolean DEFAULT true NOT NULL,
	"ignore_channels" boolean DEFAULT false NOT NULL,
	"always_online" boolean DEFAULT false NOT NULL,
	"read_messages" boolean DEFAULT false NOT NULL,
	"read_status" boolean DEFAULT false NOT NULL,
	"sync_full_history" boolean DEFAULT false NOT NULL,
	"proxy_enabled" boolean DEFAULT false NOT NULL,
	"proxy_sealed" "bytea",
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "instance_settings" ADD CONSTRAINT "instance_settings_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;