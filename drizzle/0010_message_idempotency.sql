ALTER TABLE "idempotency_keys" ADD COLUMN "alive_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "request_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "messages_api_send_unique" ON "messages" USING btree ("user_id","wa_id") WHERE via_api;