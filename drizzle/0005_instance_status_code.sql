CREATE TYPE "public"."instance_status_code" AS ENUM('idle', 'starting', 'reconnecting', 'qr', 'pairing_code', 'open', 'unreachable', 'qr_expired', 'replaced', 'refused', 'logged_out', 'stopped');--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "status_code" "instance_status_code" DEFAULT 'idle' NOT NULL;--> statement-breakpoint
-- Rows from before the column: their code follows from their state (reasons are never parsed).
UPDATE "instances" SET "status_code" = CASE "state" WHEN 'open' THEN 'open'::instance_status_code WHEN 'connecting' THEN 'starting'::instance_status_code ELSE 'idle'::instance_status_code END;
