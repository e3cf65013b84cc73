CREATE TABLE "undecryptable_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instance_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"wa_id" text NOT NULL,
	"remote_jid" text NOT NULL,
	"remote_jid_alt" text,
	"from_me" boolean NOT NULL,
	"participant" text,
	"participant_alt" text,
	"push_name" text,
	"message_timestamp" bigint NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "undecryptable_messages" ADD CONSTRAINT "undecryptable_messages_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "undecryptable_messages_key_unique" ON "undecryptable_messages" USING btree ("instance_id","remote_jid","wa_id","from_me");--> statement-breakpoint
CREATE INDEX "undecryptable_messages_created_idx" ON "undecryptable_messages" USING btree ("created_at");