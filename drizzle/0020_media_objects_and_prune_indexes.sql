ALTER TABLE "message_media" ALTER COLUMN "data" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "message_media" ADD COLUMN "storage_key" text;--> statement-breakpoint
CREATE INDEX "instance_events_user_created_idx" ON "instance_events" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "message_media_created_idx" ON "message_media" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_user_created_idx" ON "webhook_deliveries" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_event_idx" ON "webhook_deliveries" USING btree ("event_id");--> statement-breakpoint
ALTER TABLE "message_media" ADD CONSTRAINT "message_media_bytes_or_object" CHECK (("message_media"."data" is null) <> ("message_media"."storage_key" is null));