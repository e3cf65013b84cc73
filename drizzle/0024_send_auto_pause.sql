ALTER TYPE "public"."instance_status_code" ADD VALUE 'send_paused';--> statement-breakpoint
ALTER TYPE "public"."instance_status_code" ADD VALUE 'banned';--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "send_pause_reason" text;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "send_paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "send_resumed_at" timestamp with time zone;