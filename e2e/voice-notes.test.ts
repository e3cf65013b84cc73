// Voice notes (message/sendWhatsAppAudio) through the real Baileys to the simulated contact's phone:
// MP3 and WAV are converted to Ogg/Opus, Ogg/Opus goes as it is, each a ptt audioMessage with seconds
// and a waveform; with no ffmpeg (FFMPEG_PATH names a binary the test then takes away), audio that
// needs converting is 415 and Ogg/Opus still goes.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { eventually } from '@/test-support/eventually'
import { startStack } from './support/stack'
import { createVerifiedAccount } from '@/test-support/accounts'
import { startTestSimulator } from './support/simulator'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'
import { readOggOpus } from '@/lib/messages/ogg-opus'
import { swellingToneWav } from '@/test-support/audio'

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage-voice-notes-'))
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }))
const WAV = swellingToneWav(3)
fs.writeFileSync(path.join(workDir, 'tone.wav'), WAV)
const encode = (out: string, ...args: string[]) => {
  execFileSync(ffmpegInstaller.path, ['-hide_banner', '-loglevel', 'error', '-i', path.join(workDir, 'tone.wav'), ...args, path.join(workDir, out)])
  return fs.readFileSync(path.join(workDir, out))
}
const MP3 = encode('tone.mp3', '-c:a', 'libmp3lame', '-b:a', '64k')
const OGG = encode('tone.ogg', '-c:a', 'libopus', '-b:a', '24k')

// The stack's only ffmpeg: a link the last test removes.
const ffmpegLink = path.join(workDir, 'ffmpeg')
fs.symlinkSync(ffmpegInstaller.path, ffmpegLink)

const audioServer = http.createServer((request, response) => {
  if (request.url === '/tone.mp3') response.writeHead(200, { 'content-type': 'audio/mpeg' }).end(MP3)
  else response.writeHead(404).end()
})
await new Promise<void>((resolve) => audioServer.listen(0, '127.0.0.1', resolve))
afterAll(() => new Promise((resolve) => audioServer.close(resolve)))
const audioUrl = `http://127.0.0.1:${(audioServer.address() as AddressInfo).port}/tone.mp3`

const database = await useTestDatabase()
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, env: { ...sim.env, FFMPEG_PATH: ffmpegLink } })
const account = await createVerifiedAccount(database.url, { instances: ['voice'] })
const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '10000'))

const OWN = '15554450000'
const ALICE = '15554450001'
await sim.client.createAccount(ALICE, 'Alice')
await pairInstance(api, sim, 'voice', OWN)

const sendVoice = (body: Record<string, unknown>) => api('voice/message/sendWhatsAppAudio', { method: 'POST', body: JSON.stringify({ number: ALICE, ...body }) })

async function received(id: string) {
  return eventually(async () => (await sim.client.messages(ALICE)).find((message) => message.id === id), 15_000)
}

/** What the contact's phone got: a ptt voice note in Ogg/Opus, with its length and a 64-bar waveform. */
async function expectVoiceNote(id: string, seconds: number) {
  const message = await received(id)
  expect(message.mediatype).toBe('ptt')
  const audio = message.message.audioMessage as { ptt: boolean; mimetype: string; seconds: number; waveform: string }
  expect(audio).toMatchObject({ ptt: true, mimetype: 'audio/ogg; codecs=opus', seconds })
  const waveform = Buffer.from(audio.waveform, 'base64')
  expect(waveform).toHaveLength(64)
  expect(Math.max(...waveform)).toBe(100)
  expect(Math.min(...waveform)).toBeLessThan(90) // the tone swells: the bars are not all alike
  expect(message.media?.ok).toBe(true)
  const bytes = Buffer.from(message.media!.base64, 'base64')
  expect(readOggOpus(bytes)?.seconds).toBeCloseTo(seconds, 0)
  return bytes
}

describe('message/sendWhatsAppAudio', () => {
  it('MP3 and WAV (base64) and an MP3 URL arrive as ptt Ogg/Opus voice notes with seconds and a waveform', async () => {
    for (const audio of [MP3.toString('base64'), `data:audio/wav;base64,${WAV.toString('base64')}`, audioUrl]) {
      const sent = await sendVoice({ audio })
      expect(sent.status, JSON.stringify(sent.body)).toBe(201)
      expect(sent.body.message.audioMessage).toMatchObject({ ptt: true, seconds: 3 })
      await expectVoiceNote(sent.body.key.id, 3)
    }
  })

  it('Ogg/Opus goes as it is', async () => {
    const sent = await sendVoice({ audio: OGG.toString('base64') })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    expect((await expectVoiceNote(sent.body.key.id, 3)).equals(OGG)).toBe(true)
  })

  it('goes out at its sendAt', async () => {
    const sendAt = new Date(Date.now() + 3_000)
    const sent = await sendVoice({ audio: OGG.toString('base64'), sendAt: sendAt.toISOString() })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    expect(sent.body.status).toBe('SCHEDULED')
    const message = await received(sent.body.key.id)
    expect(message.receivedAt).toBeGreaterThanOrEqual(sendAt.getTime())
  })

  it('refuses what is not audio (415), encoding false with MP3 (415), and bad base64 (400 naming audio)', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
    const picture = await sendVoice({ audio: png.toString('base64') })
    expect(picture.status).toBe(415)
    expect(picture.body.error).toBe('unsupported_media')
    const unconverted = await sendVoice({ audio: MP3.toString('base64'), encoding: false })
    expect(unconverted.status).toBe(415)
    const garbled = await sendVoice({ audio: 'not base64 at all!' })
    expect(garbled.status).toBe(400)
    expect(garbled.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'audio' })]))
  })

  it('without ffmpeg: MP3 (uploaded or by URL) is 415 unsupported_media saying so; Ogg/Opus still goes, with a waveform', async () => {
    fs.unlinkSync(ffmpegLink)
    const uploaded = await sendVoice({ audio: MP3.toString('base64') })
    expect(uploaded.status).toBe(415)
    expect(uploaded.body).toMatchObject({ error: 'unsupported_media', message: expect.stringContaining('ffmpeg') })
    const byUrl = await sendVoice({ audio: audioUrl })
    expect(byUrl.status).toBe(415)
    expect(byUrl.body).toMatchObject({ error: 'unsupported_media', message: expect.stringContaining('ffmpeg') })

    const sent = await sendVoice({ audio: OGG.toString('base64') })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    expect((await expectVoiceNote(sent.body.key.id, 3)).equals(OGG)).toBe(true)
  })
})
