CREATE TABLE "account_retention" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"messages_days" integer,
	"media_days" integer,
	"events_days" integer,
	"webhook_deliveries_days" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_retention_messages_range" CHECK ("account_retention"."messages_days" between 1 and 3650),
	CONSTRAINT "account_retention_media_range" CHECK ("account_retention"."media_days" between 1 and 3650),
	CONSTRAINT "account_retention_events_range" CHECK ("account_retention"."events_days" between 1 and 30),
	CONSTRAINT "account_retention_deliveries_range" CHECK ("account_retention"."webhook_deliveries_days" between 1 and 90)
);
--> statement-breakpoint
ALTER TABLE "account_retention" ADD CONSTRAINT "account_retention_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;