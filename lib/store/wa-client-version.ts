import 'server-only'
import type { WA_CLIENT_VERSION_SOURCES } from '@/lib/db/schema/wa-client-version'
import { dateOrNull, sqlClient } from './sql'

/**
 * The `wa_client_version` table: the one WhatsApp Web version the workers announce at login. Workers
 * write it (`workers/whatsapp/client-version.ts`) after asking the version source, or with the
 * pinned or bundled version when they have nothing better; the web's status endpoint reads it.
 */
export type ClientVersionSource = (typeof WA_CLIENT_VERSION_SOURCES)[number]
export type StoredClientVersion = { version: string; source: ClientVersionSource; fetchedAt: Date | null; updatedAt: Date }

export async function readClientVersion(): Promise<StoredClientVersion | null> {
  const [row] = await sqlClient()`select version, source, fetched_at, updated_at from wa_client_version where id = 1`
  if (!row) return null
  return { version: row.version, source: row.source, fetchedAt: dateOrNull(row.fetched_at), updatedAt: new Date(row.updated_at) }
}

/** Records the version in use; a `fetched` one also stamps when the source last answered. */
export async function saveClientVersion(version: string, source: ClientVersionSource): Promise<void> {
  await sqlClient()`
    insert into wa_client_version (id, version, source, fetched_at, updated_at)
    values (1, ${version}, ${source}::wa_client_version_source, case when ${source === 'fetched'}::boolean then now() end, now())
    on conflict (id) do update set
      version = excluded.version,
      source = excluded.source,
      fetched_at = coalesce(excluded.fetched_at, wa_client_version.fetched_at),
      updated_at = now()`
}

/** Keeps the last known version when there is nothing newer to say: only a missing row is filled. */
export async function saveClientVersionIfNone(version: string, source: ClientVersionSource): Promise<StoredClientVersion> {
  await sqlClient()`insert into wa_client_version (id, version, source) values (1, ${version}, ${source}) on conflict (id) do nothing`
  return (await readClientVersion())!
}
