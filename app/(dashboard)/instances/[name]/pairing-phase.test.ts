// The pairing screen follows the status code: every code, wanted or not, with and without a QR or a number.
import { describe, expect, it } from 'vitest'
import { INSTANCE_STATUS_CODES, stateOf, type InstanceStatusCode } from '@/lib/instances/status-codes'
import { pairingPhase } from './pairing-phase'

const qr = { code: 'ref,key', base64: 'data:image/png;base64,', count: 1 }

describe('pairingPhase', () => {
  it.each([
    ['qr_expired', 'expired'],
    ['replaced', 'stopped'],
    ['refused', 'stopped'],
    ['logged_out', 'idle'],
    ['stopped', 'idle'],
    ['idle', 'idle'],
  ] as [InstanceStatusCode, string][])('not wanted and %s → %s', (statusCode, phase) => {
    expect(pairingPhase({ desiredState: 'disconnected', statusCode, qr: null, phoneNumber: null })).toBe(phase)
  })

  it('wanted: unreachable wins over a stale QR; a QR shows; a known number reconnects; else starting', () => {
    expect(pairingPhase({ desiredState: 'connected', statusCode: 'unreachable', qr, phoneNumber: '15550001111' })).toBe('unreachable')
    expect(pairingPhase({ desiredState: 'connected', statusCode: 'proxy_failed', qr: null, phoneNumber: '15550001111' })).toBe('unreachable')
    expect(pairingPhase({ desiredState: 'connected', statusCode: 'qr', qr, phoneNumber: null })).toBe('qr')
    expect(pairingPhase({ desiredState: 'connected', statusCode: 'client_outdated', qr: null, phoneNumber: '15550001111' })).toBe('outdated')
    expect(pairingPhase({ desiredState: 'connected', statusCode: 'open', qr: null, phoneNumber: '15550001111' })).toBe('reconnecting')
    expect(pairingPhase({ desiredState: 'connected', statusCode: 'starting', qr: null, phoneNumber: null })).toBe('starting')
  })

  it('gives every code a phase whether or not it is wanted', () => {
    for (const statusCode of INSTANCE_STATUS_CODES) {
      for (const desiredState of ['connected', 'disconnected'] as const) {
        expect(['idle', 'starting', 'qr', 'expired', 'stopped', 'reconnecting', 'unreachable', 'outdated']).toContain(pairingPhase({ desiredState, statusCode, qr: null, phoneNumber: null }))
      }
    }
  })

  it('derives the API state from the code', () => {
    expect(stateOf('open')).toBe('open')
    expect(['qr', 'pairing_code', 'starting', 'reconnecting', 'unreachable', 'proxy_failed', 'client_outdated'].map((code) => stateOf(code as InstanceStatusCode))).toEqual(Array(7).fill('connecting'))
    expect(['idle', 'qr_expired', 'replaced', 'refused', 'logged_out', 'stopped'].map((code) => stateOf(code as InstanceStatusCode))).toEqual(Array(6).fill('close'))
  })
})
