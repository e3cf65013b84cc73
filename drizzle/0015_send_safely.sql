DROP INDEX "messages_outbox_idx";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "send_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "planned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "policy_reason" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "transactional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "starts_chat" boolean;--> statement-breakpoint
ALTER TABLE "instance_settings" ADD COLUMN "send_policy" jsonb;--> statement-breakpoint
CREATE INDEX "messages_outbox_idx" ON "messages" USING btree ("instance_id","created_at") WHERE via_api and sent_at is null and status in ('PENDING', 'SCHEDULED', 'QUEUED_BY_POLICY');