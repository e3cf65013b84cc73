CREATE TABLE "contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instance_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"jid" text NOT NULL,
	"lid" text,
	"phone_number" text,
	"push_name" text,
	"saved_name" text,
	"verified_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chats" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instance_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"jid" text NOT NULL,
	"jid_alt" text,
	"name" text,
	"unread_count" integer DEFAULT 0 NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	"pinned" boolean DEFAULT false NOT NULL,
	"muted_until" timestamp with time zone,
	"last_message_timestamp" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "from_history" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chats" ADD CONSTRAINT "chats_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_instance_jid_unique" ON "contacts" USING btree ("instance_id","jid");--> statement-breakpoint
CREATE INDEX "contacts_instance_lid_idx" ON "contacts" USING btree ("instance_id","lid");--> statement-breakpoint
CREATE UNIQUE INDEX "chats_instance_jid_unique" ON "chats" USING btree ("instance_id","jid");--> statement-breakpoint
CREATE INDEX "chats_instance_last_message_idx" ON "chats" USING btree ("instance_id","last_message_timestamp");