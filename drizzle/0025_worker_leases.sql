CREATE INDEX "instances_unowned_idx" ON "instances" USING btree ("id") WHERE "instances"."worker_id" is null and "instances"."desired_state" = 'connected';--> statement-breakpoint
ALTER TABLE "instances" DROP COLUMN "lease_expires_at";--> statement-breakpoint
-- Claims take only unowned instances: a stopped worker must hold none (lib/store/instances.ts).
UPDATE "instances" SET "worker_id" = NULL WHERE "worker_id" IN (SELECT "id" FROM "workers" WHERE "stopped_at" IS NOT NULL);
