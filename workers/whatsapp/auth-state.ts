// Baileys' auth state in Postgres, encrypted, and fenced by the instance's lease.
import { BufferJSON, initAuthCreds, proto, type AuthenticationCreds, type SignalDataTypeMap, type SignalKeyStore } from '@whiskeysockets/baileys'
import { decryptSecret, encryptSecret } from '@/lib/crypto/secrets'
import { authKeyContext as aad, clearKeys, readKeys, writeKeys } from '@/lib/store/whatsapp-auth'

const CREDS = 'creds'

const seal = (instanceId: string, category: string, keyId: string, value: unknown) =>
  encryptSecret(JSON.stringify(value, BufferJSON.replacer), aad(instanceId, category, keyId))
const open = (instanceId: string, category: string, keyId: string, sealed: Buffer) =>
  JSON.parse(decryptSecret(sealed, aad(instanceId, category, keyId)).toString(), BufferJSON.reviver)

/** Baileys' auth state for one instance, sealed per key; writes are fenced by this worker's lease. */
export async function usePostgresAuthState(instanceId: string, workerId: string) {
  const write = (entries: { category: string; keyId: string; value: unknown | null }[]) =>
    writeKeys(
      instanceId,
      workerId,
      entries.map(({ category, keyId, value }) => ({ category, keyId, sealed: value === null || value === undefined ? null : seal(instanceId, category, keyId, value) })),
    )

  const [stored] = await readKeys(instanceId, CREDS, [''])
  const creds: AuthenticationCreds = stored ? open(instanceId, CREDS, '', stored.sealed) : initAuthCreds()
  // New credentials are written before Baileys uses them: the QR encodes these keys.
  if (!stored) await write([{ category: CREDS, keyId: '', value: creds }])

  const keys: SignalKeyStore = {
    get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
      const found: { [id: string]: SignalDataTypeMap[T] } = {}
      for (const { keyId, sealed } of await readKeys(instanceId, type, ids)) {
        let value = open(instanceId, type, keyId, sealed)
        if (type === 'app-state-sync-key' && value) value = proto.Message.AppStateSyncKeyData.fromObject(value)
        found[keyId] = value
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
export const clearAuthState = clearKeys
