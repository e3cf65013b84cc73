CREATE TYPE "public"."wa_client_version_source" AS ENUM('fetched', 'pinned', 'bundled');--> statement-breakpoint
ALTER TYPE "public"."instance_status_code" ADD VALUE 'client_outdated';--> statement-breakpoint
CREATE TABLE "wa_client_version" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" text NOT NULL,
	"source" "wa_client_version_source" NOT NULL,
	"fetched_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wa_client_version_one_row" CHECK ("wa_client_version"."id" = 1)
);
