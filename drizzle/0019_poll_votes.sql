CREATE TABLE "poll_votes" (
	"poll_id" uuid NOT NULL,
	"voter" text NOT NULL,
	"voter_alt" text,
	"selected_options" jsonb NOT NULL,
	"voted_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "poll_votes_poll_id_voter_pk" PRIMARY KEY("poll_id","voter")
);
--> statement-breakpoint
ALTER TABLE "poll_votes" ADD CONSTRAINT "poll_votes_poll_id_messages_id_fk" FOREIGN KEY ("poll_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;