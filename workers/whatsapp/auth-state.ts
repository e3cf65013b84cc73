// Baileys' auth state in Postgres, encrypted, and fenced by the instance's lease.
import { BufferJSON, initAuthCreds, proto, type AuthenticationCreds, type SignalDataTypeMap, type SignalKeyStore } from '@whiskeysockets/baileys'
import { sqlClient } from '@/lib/db'
import { decryptSecret, encryptSecret } from '@/lib/crypto/secrets'

const CREDS = 'creds'

export class LeaseLostError extends Error {
  constructor(instanceId: string) {
    super(`worker no longer holds instance ${instanceId}`)
  }
}

const aad = (instanceId: string, category: string, keyId: string) => `${instanceId}:${category}:${keyId}`
const seal = (instanceId: string, category: string, keyId: string, value: unknown) =>
  encryptSecret(JSON.stringify(value, BufferJSON.replacer), aad(instanceId, category, keyId))
const open = (instanceId: string, category: string, keyId: string, sealed: Buffer) =>
  JSON.parse(decryptSecret(sealed, aad(instanceId, category, keyId)).toString(), BufferJSON.reviver)

/**
 * Every write first checks, in the same transaction, that this worker still holds the instance: a
 * worker that lost its lease (paused, partitioned) can never overwrite the new owner's keys.
 */
export async function usePostgresAuthState(instanceId: string, workerId: string) {
  const sql = sqlClient()

  const write = async (entries: { category: string; keyId: string; value: unknown | null }[]) => {
    await sql.begin(async (tx) => {
      const [held] = await tx`select 1 from instances where id = ${instanceId} and worker_id = ${workerId} for share`
      if (!held) throw new LeaseLostError(instanceId)
      for (const { category, keyId, value } of entries) {
        if (value === null || value === undefined) {
          await tx`delete from whatsapp_auth_keys where instance_id = ${instanceId} and category = ${category} and key_id = ${keyId}`
        } else {
          await tx`
            insert into whatsapp_auth_keys (instance_id, category, key_id, value)
            values (${instanceId}, ${category}, ${keyId}, ${seal(instanceId, category, keyId, value)})
            on conflict (instance_id, category, key_id) do update set value = excluded.value, updated_at = now()`
        }
      }
    })
  }

  const [stored] = await sql`select value from whatsapp_auth_keys where instance_id = ${instanceId} and category = ${CREDS} and key_id = ''`
  const creds: AuthenticationCreds = stored ? open(instanceId, CREDS, '', stored.value) : initAuthCreds()
  // New credentials are written before Baileys uses them: the QR encodes these keys.
  if (!stored) await write([{ category: CREDS, keyId: '', value: creds }])

  const keys: SignalKeyStore = {
    get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
      const rows = await sql`
        select key_id, value from whatsapp_auth_keys
        where instance_id = ${instanceId} and category = ${type} and key_id = any(${ids})`
      const found: { [id: string]: SignalDataTypeMap[T] } = {}
      for (const row of rows) {
        let value = open(instanceId, type, row.key_id, row.value)
        if (type === 'app-state-sync-key' && value) value = proto.Message.AppStateSyncKeyData.fromObject(value)
        found[row.key_id] = value
      }
      return found
    },
    set: async (data) => {
      const entries: { category: string; keyId: string; value: unknown | null }[] = []
      for (const category of Object.keys(data) as (keyof SignalDataTypeMap)[]) {
        for (const [keyId, value] of Object.entries(data[category] ?? {})) entries.push({ category, keyId, value })
      }
      if (entries.length > 0) await write(entries)
    },
  }

  return {
    state: { creds, keys },
    hasSession: Boolean(creds.me),
    saveCreds: () => write([{ category: CREDS, keyId: '', value: creds }]),
  }
}

/** Logged out: the credentials are worthless and must not be reused; the next connect starts a new QR. */
export async function clearAuthState(instanceId: string): Promise<void> {
  await sqlClient()`delete from whatsapp_auth_keys where instance_id = ${instanceId}`
}
