import { describe, expect, it } from 'vitest'
import { isDatabaseUnavailable } from './errors'

describe('isDatabaseUnavailable', () => {
  it.each([['CONNECTION_CLOSED'], ['CONNECTION_DESTROYED'], ['ECONNRESET'], ['ECONNREFUSED'], ['57P01'], ['08006'], ['53300']])('%s is a lost connection', (code) => {
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code }))).toBe(true)
  })

  it.each([['23505'], ['42P01'], ['22P05'], [undefined], [42]])('%s is not', (code) => {
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code }))).toBe(false)
  })

  it('copes with non-errors', () => {
    expect(isDatabaseUnavailable(null)).toBe(false)
    expect(isDatabaseUnavailable('CONNECTION_CLOSED')).toBe(false)
  })
})
