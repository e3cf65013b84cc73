// Which numbers are on WhatsApp, remembered for a while: a usync round trip per send would double its cost.
import type { WASocket } from '@whiskeysockets/baileys'

const TTL_MS = 10 * 60_000
const MAX_ENTRIES = 50_000

export class NumberDirectory {
  private readonly known = new Map<string, { exists: boolean; jid: string | null; until: number }>()

  async lookup(socket: WASocket, numbers: string[]): Promise<{ number: string; exists: boolean; jid: string | null }[]> {
    const now = Date.now()
    const missing = numbers.filter((number) => (this.known.get(number)?.until ?? 0) <= now)
    if (missing.length > 0) {
      const found = (await socket.onWhatsApp(...missing)) ?? []
      if (this.known.size > MAX_ENTRIES) this.known.clear()
      for (const number of missing) {
        const match = found.find((entry) => entry.exists && entry.jid.split('@')[0].split(':')[0] === number)
        this.known.set(number, { exists: Boolean(match), jid: match?.jid ?? null, until: now + TTL_MS })
      }
    }
    return numbers.map((number) => {
      const entry = this.known.get(number)!
      return { number, exists: entry.exists, jid: entry.jid }
    })
  }
}
