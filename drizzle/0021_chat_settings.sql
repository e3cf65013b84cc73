ALTER TABLE "chats" ADD COLUMN "marked_unread" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "chats" ADD COLUMN "live_changed_at" timestamp with time zone;