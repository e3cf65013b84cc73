ALTER TABLE "messages" ADD COLUMN "remote_jid_alt" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "participant_alt" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "edit_history" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "deleted_at" timestamp with time zone;