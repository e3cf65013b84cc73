-- UUIDv7 (RFC 9562, with method 3's 12 bits of sub-millisecond time): 48 bits of Unix time in ms, version 7,
-- the fraction of the ms, then the random bits and variant of a v4 UUID. Timelines order by (message_timestamp, id):
-- with time-ordered ids, messages stored in the same second keep the order they were stored in.
CREATE OR REPLACE FUNCTION sage_uuid_v7() RETURNS uuid AS $$
  SELECT encode(overlay(uuid_send(gen_random_uuid())
    placing int8send((floor(ms)::bigint << 16) | 28672 | floor((ms - floor(ms)) * 4096)::int) from 1 for 8), 'hex')::uuid
  FROM (SELECT extract(epoch from clock_timestamp()) * 1000 AS ms) AS now
$$ LANGUAGE sql VOLATILE;--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "id" SET DEFAULT sage_uuid_v7();
