import { describe, expect, it } from 'vitest'
import { CreateInstanceBody } from '@/lib/api/schemas/instances'
import { parseWith } from '@/lib/api/validation'
import { ApiError } from '@/lib/api/errors'
import { defaultInstance } from './default-instance'

describe('the default instance of examples', () => {
  const instances = [
    { name: 'alpha', state: 'close' as const },
    { name: 'bravo', state: 'open' as const },
    { name: 'charlie', state: 'open' as const },
  ]

  it('is a connected one, not the first by name', () => {
    expect(defaultInstance(instances)).toBe('bravo')
  })

  it('is one the key is pinned to, connected first', () => {
    expect(defaultInstance(instances, ['charlie', 'alpha'])).toBe('charlie')
    expect(defaultInstance(instances, ['alpha'])).toBe('alpha')
  })

  it('falls back to the first instance, then to the first pinned name, then to none', () => {
    expect(defaultInstance([{ name: 'alpha', state: 'connecting' }])).toBe('alpha')
    expect(defaultInstance([], ['gone'])).toBe('gone')
    expect(defaultInstance([])).toBeUndefined()
  })
})

describe('instance names', () => {
  function refusal(name: unknown) {
    try {
      parseWith(CreateInstanceBody, { name }, 'body')
    } catch (error) {
      if (error instanceof ApiError) return error
      throw error
    }
    return undefined
  }

  it('may not start with a dash: 400 invalid_request naming the field', () => {
    for (const name of ['-lead', '--x', '-ab']) {
      const error = refusal(name)
      expect(error?.code).toBe('invalid_request')
      expect(error?.status).toBe(400)
      expect(error?.details).toEqual([{ field: 'name', message: 'Start with a letter or digit, not a dash.' }])
    }
  })

  it('still accepts dashes inside or at the end, and digits first', () => {
    for (const name of ['lead-1', '1lead', 'acme-prod', 'abc-']) expect(refusal(name)).toBeUndefined()
  })

  it('refuses the other bad names as before', () => {
    for (const name of ['ab', 'A-b-c', 'a_b_c', 'x'.repeat(41), 7, '']) expect(refusal(name)?.code).toBe('invalid_request')
  })
})
