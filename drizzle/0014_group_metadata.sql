CREATE TABLE "group_metadata" (
	"instance_id" uuid NOT NULL,
	"jid" text NOT NULL,
	"metadata" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_metadata_instance_id_jid_pk" PRIMARY KEY("instance_id","jid")
);
--> statement-breakpoint
ALTER TABLE "group_metadata" ADD CONSTRAINT "group_metadata_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;