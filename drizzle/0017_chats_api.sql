ALTER TABLE "messages" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig,
  coalesce(message->>'conversation', '') || ' ' || coalesce(message->'extendedTextMessage'->>'text', '') || ' ' ||
  coalesce(message->'imageMessage'->>'caption', '') || ' ' || coalesce(message->'videoMessage'->>'caption', '') || ' ' ||
  coalesce(message->'documentMessage'->>'caption', '') || ' ' ||
  coalesce(message->'documentWithCaptionMessage'->'message'->'documentMessage'->>'caption', ''))) STORED;--> statement-breakpoint
CREATE INDEX "messages_instance_timeline_idx" ON "messages" USING btree ("instance_id","message_timestamp","id");--> statement-breakpoint
CREATE INDEX "messages_chat_timeline_idx" ON "messages" USING btree ("instance_id","remote_jid","message_timestamp","id");--> statement-breakpoint
CREATE INDEX "messages_search_idx" ON "messages" USING gin ("search_vector");--> statement-breakpoint
-- Chats of the messages stored before chats followed live traffic (lib/store/chats.ts `recordChatMessage`).
INSERT INTO "chats" ("instance_id", "user_id", "jid", "jid_alt", "last_message_timestamp")
SELECT "instance_id", min("user_id"::text)::uuid, "remote_jid", max("remote_jid_alt"), max("message_timestamp") FROM "messages"
WHERE "remote_jid" NOT LIKE '%@broadcast' AND "remote_jid" NOT LIKE '%@newsletter'
GROUP BY "instance_id", "remote_jid"
ON CONFLICT ("instance_id", "jid") DO NOTHING;
