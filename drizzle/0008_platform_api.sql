CREATE SEQUENCE "public"."instance_event_positions" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
ALTER TABLE "instance_events" ADD COLUMN "position" bigint;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "scope" text DEFAULT 'instance' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "instance_events_position_unique" ON "instance_events" USING btree ("position");--> statement-breakpoint
CREATE INDEX "instance_events_user_position_idx" ON "instance_events" USING btree ("user_id","position");--> statement-breakpoint
CREATE INDEX "instance_events_unpositioned_idx" ON "instance_events" USING btree ("seq") WHERE "instance_events"."position" is null;--> statement-breakpoint
CREATE INDEX "instance_events_created_idx" ON "instance_events" USING btree ("created_at");--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_scope_known" CHECK ("api_keys"."scope" in ('instance', 'account'));