// Baileys' auth state in Postgres, encrypted, and fenced by the instance's lease.
import { BufferJSON, initAuthCreds, proto, type AuthenticationCreds, type SignalDataTypeMap, type SignalKeyStore } from '@whiskeysockets/baileys'
import { decryptSecret, encryptSecret } from '@/lib/crypto/secrets'
import { authKeyContext as aad, clearKeys, readKeys, writeKeys } from '@/lib/store/whatsapp-auth'

const CREDS = 'creds'
/** Absent keys remembered per socket; past this many the memory starts afresh. */
const MAX_ABSENT = 10_000

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

  // Keys looked for and not found, until written: Baileys asks for some absent keys on every send (the
  // contact's `tctoken` and its index) and its own cache (makeCacheableSignalKeyStore) keeps only keys
  // it found. Safe under the lease: while this worker holds the instance, its keys change only through
  // `set` below (the web deletes them only for an instance nobody holds), and each socket start builds
  // a new auth state. A read that overlapped a write marks nothing absent (`writeEpoch`, `writing`).
  const absent = new Set<string>()
  let writeEpoch = 0
  let writing = 0
  const absenceOf = (category: string, keyId: string) => `${category}\0${keyId}`

  const keys: SignalKeyStore = {
    get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
      const found: { [id: string]: SignalDataTypeMap[T] } = {}
      const wanted = ids.filter((id) => !absent.has(absenceOf(type, id)))
      if (wanted.length === 0) return found
      const epochBefore = writing === 0 ? writeEpoch : -1
      for (const { keyId, sealed } of await readKeys(instanceId, type, wanted)) {
        let value = open(instanceId, type, keyId, sealed)
        if (type === 'app-state-sync-key' && value) value = proto.Message.AppStateSyncKeyData.fromObject(value)
        found[keyId] = value
      }
      if (writing === 0 && writeEpoch === epochBefore) {
        if (absent.size > MAX_ABSENT) absent.clear()
        for (const id of wanted) if (!(id in found)) absent.add(absenceOf(type, id))
      }
      return found
    },
    set: async (data) => {
      const entries: { category: string; keyId: string; value: unknown | null }[] = []
      for (const category of Object.keys(data) as (keyof SignalDataTypeMap)[]) {
        for (const [keyId, value] of Object.entries(data[category] ?? {})) entries.push({ category, keyId, value })
      }
      if (entries.length === 0) return
      for (const { category, keyId } of entries) absent.delete(absenceOf(category, keyId))
      writing++
      writeEpoch++
      try {
        await write(entries)
      } finally {
        writing--
        writeEpoch++
      }
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
