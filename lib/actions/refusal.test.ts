// The server-action wrapper's framework-free half: what a submitted form becomes, and how a refusal
// reaches the form (per field, at the top, with what was typed but never a password).
import { describe, expect, it } from 'vitest'
import { ApiError } from '@/lib/api/errors'
import { typedList, typedText } from './action-state'
import { formInput, refusalState, typedValues } from './refusal'

describe('formInput', () => {
  it('gives one string per field, a list for a repeated name, and leaves out files and Next.js’s own fields', () => {
    const form = new FormData()
    form.append('$ACTION_ID_abc', '')
    form.append('name', 'CI server')
    form.append('instances', 'acme-prod')
    form.append('instances', 'acme-staging')
    form.append('pinned', 'only-one')
    form.append('file', new Blob(['x']))
    expect(formInput(form)).toEqual({ name: 'CI server', instances: ['acme-prod', 'acme-staging'], pinned: 'only-one' })
  })
})

describe('typedValues', () => {
  it('keeps what was typed to refill the form, except passwords, tokens and secrets', () => {
    expect(typedValues({ email: 'ada@example.com', password: 'hunter2 hunter2', newPassword: 'x', token: 't', webhookSecret: 's', tags: ['a', 'b'], count: 3 })).toEqual({
      email: 'ada@example.com',
      tags: ['a', 'b'],
    })
    expect(typedValues(undefined)).toBeUndefined()
  })
})

describe('refusalState', () => {
  const wording = { fields: ['name', 'rateLimit', 'cidrs'] }

  it('puts each detail next to its field, several on one field line by line, and keeps the typed values', () => {
    const error = new ApiError('invalid_request', 'The request body failed validation; see details.', [
      { field: 'rateLimit', message: 'At least 1 request per minute' },
      { field: 'cidrs.0', message: '"10.0.0.0/99" is not an IPv4 or IPv6 CIDR' },
      { field: 'cidrs.2', message: '"nope" is not an IPv4 or IPv6 CIDR' },
    ])
    const state = refusalState(error, wording, { name: 'CI server', rateLimit: '0', cidrs: '10.0.0.0/99', password: 'never echoed' })
    expect(state).toMatchObject({
      ok: false,
      formError: undefined,
      fieldErrors: { rateLimit: 'At least 1 request per minute', cidrs: '"10.0.0.0/99" is not an IPv4 or IPv6 CIDR\n"nope" is not an IPv4 or IPv6 CIDR' },
    })
    expect(typedText(state, 'name')).toBe('CI server')
    expect(typedText(state, 'password')).toBeUndefined()
    expect(state.nonce).toMatch(/^[0-9a-f-]{36}$/)
    expect(refusalState(error, wording, {}).nonce).not.toBe(state.nonce)
  })

  it('says at the top what belongs to no field of this form, or the error itself when it has no details', () => {
    const loose = refusalState(new ApiError('invalid_request', 'Unknown.', [{ field: 'instance', message: 'No instance named "x"' }]), wording, {})
    expect(loose).toMatchObject({ formError: 'No instance named "x"', fieldErrors: undefined })
    const plain = refusalState(new ApiError('name_taken', 'You already have an instance named "acme".'), wording, {})
    expect(plain.formError).toBe('You already have an instance named "acme".')
  })

  it('words a code the way the form asks', () => {
    const state = refusalState(new ApiError('email_not_verified'), { ...wording, messages: { email_not_verified: 'Verify your email first.' } }, {})
    expect(state.formError).toBe('Verify your email first.')
  })
})

describe('typedList', () => {
  it('reads one ticked box and several alike', () => {
    expect(typedList({ ok: false, values: { instances: 'a' }, nonce: 'n' }, 'instances')).toEqual(['a'])
    expect(typedList({ ok: false, values: { instances: ['a', 'b'] }, nonce: 'n' }, 'instances')).toEqual(['a', 'b'])
    expect(typedList({}, 'instances')).toBeUndefined()
  })
})
