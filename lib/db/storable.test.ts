// The app's client writes U+0000 in text and JSON parameters as U+FFFD (lib/db/storable.ts), against a
// real database: what Postgres itself refuses with "invalid byte sequence" or "unsupported Unicode
// escape sequence"; and lone surrogates, which jsonb refuses too.
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'

await useTestDatabase()
const { sqlClient } = await import('@/lib/db')
const sql = sqlClient()
await sql`create table if not exists storable_probe (id int, label text, labels text[], doc jsonb, raw json)`
afterAll(() => sql`drop table if exists storable_probe`)

describe('NUL in what the app writes', () => {
  it('a text, a text array, a jsonb and a json parameter are stored with U+FFFD', async () => {
    const doc = { text: 'zero\u0000width', nested: [{ name: '\u0000' }] }
    await sql`insert into storable_probe (id, label, labels, doc, raw) values (1, ${'a\u0000b'}, ${['c\u0000', 'd']}, ${sql.json(doc)}, ${sql.json(doc)}::json)`
    const [row] = await sql`select label, labels, doc, raw::text as raw from storable_probe where id = 1`
    expect(row.label).toBe('a\uFFFDb')
    expect(row.labels).toEqual(['c\uFFFD', 'd'])
    expect(row.doc).toEqual({ text: 'zero\uFFFDwidth', nested: [{ name: '\uFFFD' }] })
    expect(JSON.parse(row.raw)).toEqual(row.doc)
  })

  it('leaves a literal backslash followed by "u0000" as it is', async () => {
    const doc = { text: 'C:\\u0000 and \\\\u0000' }
    await sql`insert into storable_probe (id, doc, label) values (2, ${sql.json(doc)}, ${'\\u0000'})`
    const [row] = await sql`select doc, label from storable_probe where id = 2`
    expect(row.doc).toEqual(doc)
    expect(row.label).toBe('\\u0000')
  })

  it('a lone surrogate in JSON is stored as U+FFFD, a pair as it is; in text the UTF-8 encoding replaces it', async () => {
    const doc = { lone: 'a\uD800b', low: '\uDC00', pair: '\uD83D\uDE00' }
    await sql`insert into storable_probe (id, doc, label) values (3, ${sql.json(doc)}, ${'x\uD800'})`
    const [row] = await sql`select doc, label from storable_probe where id = 3`
    expect(row.doc).toEqual({ lone: 'a\uFFFDb', low: '\uFFFD', pair: '\uD83D\uDE00' })
    expect(row.label).toBe('x\uFFFD')
  })
})

