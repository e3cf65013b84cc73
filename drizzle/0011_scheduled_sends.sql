DROP INDEX "messages_outbox_idx";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "send_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "messages_outbox_idx" ON "messages" USING btree ("instance_id","created_at") WHERE via_api and sent_at is null and status in ('PENDING', 'SCHEDULED');