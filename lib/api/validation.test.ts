// Every input validated through parseWith (route bodies and queries, server actions' forms) refuses
// a NUL character anywhere in it, naming the field, whatever the schema says about that field.
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ApiError } from './errors'
import { nulDetails, parseWith } from './validation'

function refusal(schema: z.ZodType, input: unknown) {
  try {
    parseWith(schema, input, 'body')
  } catch (error) {
    if (error instanceof ApiError) return { code: error.code, status: error.status, details: error.details }
    throw error
  }
  return null
}

describe('NUL characters in an input', () => {
  it('are refused with 400 invalid_request naming each field, at any depth', () => {
    const schema = z.object({ name: z.string(), tags: z.array(z.string()), card: z.object({ fullName: z.string() }) })
    expect(refusal(schema, { name: 'a\u0000', tags: ['ok', '\u0000'], card: { fullName: 'x\u0000y' } })).toEqual({
      code: 'invalid_request',
      status: 400,
      details: [
        { field: 'name', message: expect.stringMatching(/NUL/) },
        { field: 'tags.1', message: expect.stringMatching(/NUL/) },
        { field: 'card.fullName', message: expect.stringMatching(/NUL/) },
      ],
    })
  })

  it('even in fields the schema ignores or passes through, and in field names', () => {
    const schema = z.object({ message: z.record(z.string(), z.unknown()).optional() })
    expect(refusal(schema, { ignored: 'x\u0000' })?.details).toEqual([{ field: 'ignored', message: expect.stringMatching(/NUL/) }])
    expect(refusal(schema, { message: { ['a\u0000b']: 1 } })?.details).toEqual([{ field: 'message.a\\u0000b', message: expect.stringMatching(/field name/) }])
  })

  it('a bare string input is named (body)', () => {
    expect(nulDetails('\u0000')).toEqual([{ field: '(body)', message: expect.stringMatching(/NUL/) }])
  })

  it('leaves clean input to the schema', () => {
    const schema = z.object({ text: z.string().min(1) })
    expect(parseWith(schema, { text: 'hi' }, 'body')).toEqual({ text: 'hi' })
    expect(refusal(schema, { text: '' })?.details).toEqual([{ field: 'text', message: expect.any(String) }])
  })
})
