CREATE TABLE "account_export_chunks" (
	"export_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "account_export_chunks_export_id_seq_pk" PRIMARY KEY("export_id","seq")
);
--> statement-breakpoint
CREATE TABLE "account_exports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"records_done" integer DEFAULT 0 NOT NULL,
	"records_total" integer,
	"bytes" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "message_media" ALTER COLUMN "data" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "message_media" ADD COLUMN "storage_key" text;--> statement-breakpoint
ALTER TABLE "account_export_chunks" ADD CONSTRAINT "account_export_chunks_export_id_account_exports_id_fk" FOREIGN KEY ("export_id") REFERENCES "public"."account_exports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_exports" ADD CONSTRAINT "account_exports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_exports_user_idx" ON "account_exports" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "account_exports_expires_idx" ON "account_exports" USING btree ("expires_at") WHERE "account_exports"."expires_at" is not null;--> statement-breakpoint
CREATE INDEX "instance_events_user_created_idx" ON "instance_events" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "message_media_created_idx" ON "message_media" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_user_created_idx" ON "webhook_deliveries" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_event_idx" ON "webhook_deliveries" USING btree ("event_id");--> statement-breakpoint
ALTER TABLE "message_media" ADD CONSTRAINT "message_media_bytes_or_object" CHECK (("message_media"."data" is null) <> ("message_media"."storage_key" is null));