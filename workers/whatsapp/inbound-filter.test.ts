// Which incoming messages an instance's settings keep out, and which it marks as read.
import { describe, expect, it } from 'vitest'
import type { WAMessage } from '@whiskeysockets/baileys'
import { ignoredBySettings, markedReadBySettings } from './inbound-filter'

const off = { ignoreGroups: false, ignoreStatus: false, ignoreChannels: false, readMessages: false, readStatus: false }
const message = (remoteJid: string, fromMe = false): WAMessage => ({ key: { remoteJid, fromMe, id: 'ABC' }, message: { conversation: 'hi' } })

describe('ignoredBySettings', () => {
  it('drops each kind of chat only under its own switch', () => {
    expect(ignoredBySettings('120363012345678901@g.us', { ...off, ignoreGroups: true })).toBe(true)
    expect(ignoredBySettings('120363012345678901@g.us', { ...off, ignoreStatus: true, ignoreChannels: true })).toBe(false)
    expect(ignoredBySettings('status@broadcast', { ...off, ignoreStatus: true })).toBe(true)
    expect(ignoredBySettings('status@broadcast', { ...off, ignoreGroups: true })).toBe(false)
    expect(ignoredBySettings('120363111111111111@newsletter', { ...off, ignoreChannels: true })).toBe(true)
    expect(ignoredBySettings('919876543210@s.whatsapp.net', { ignoreGroups: true, ignoreStatus: true, ignoreChannels: true, readMessages: true, readStatus: true })).toBe(false)
  })
})

describe('markedReadBySettings', () => {
  it('reads incoming chats with readMessages and statuses with readStatus, never our own or ignored ones', () => {
    expect(markedReadBySettings(message('919876543210@s.whatsapp.net'), { ...off, readMessages: true })).toBe(true)
    expect(markedReadBySettings(message('919876543210@s.whatsapp.net', true), { ...off, readMessages: true })).toBe(false)
    expect(markedReadBySettings(message('919876543210@s.whatsapp.net'), off)).toBe(false)
    expect(markedReadBySettings(message('status@broadcast'), { ...off, readMessages: true })).toBe(false)
    expect(markedReadBySettings(message('status@broadcast'), { ...off, readStatus: true })).toBe(true)
    expect(markedReadBySettings(message('120363012345678901@g.us'), { ...off, readMessages: true, ignoreGroups: true })).toBe(false)
  })
})
