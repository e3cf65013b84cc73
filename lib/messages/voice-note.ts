// Voice notes as WhatsApp's apps record them: mono Opus in Ogg, sent as a ptt audioMessage with its
// length (`seconds`) and a 64-bar `waveform` (0–100 each) that the recipient's player draws. Other
// audio is converted with ffmpeg; Ogg/Opus goes as it is. Baileys would compute both fields itself
// only with optional packages (music-metadata, audio-decode; Utils/messages-media.js), so we do.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { findFfmpeg, NO_FFMPEG_MESSAGE } from './ffmpeg'
import { isOggOpus, readOggOpus } from './ogg-opus'

export const VOICE_NOTE_MIMETYPE = 'audio/ogg; codecs=opus'
const WAVEFORM_BARS = 64
const PCM_RATE = 8_000
const FFMPEG_TIMEOUT_MS = 120_000

/** The audio cannot become a voice note (no ffmpeg, or ffmpeg could not read it): 415 unsupported_media. */
export class VoiceNoteError extends Error {}

export type VoiceNote = { audio: Buffer; seconds: number; waveform: Uint8Array }

function runFfmpeg(binary: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    let errors = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), FFMPEG_TIMEOUT_MS)
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-2_000)))
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(new VoiceNoteError(`ffmpeg could not be started: ${error.message}`))
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve(Buffer.concat(out))
      else reject(new VoiceNoteError(`The audio could not be converted to a voice note: ${errors.trim().split('\n').at(-1) || `ffmpeg exited with ${code}`}`))
    })
  })
}

/** Scales 64 averages of |level| so the loudest bar is 100, as WhatsApp's apps draw it. */
function barsOf(levels: ArrayLike<number>): Uint8Array {
  const bars = Array.from({ length: WAVEFORM_BARS }, (_, bar) => {
    const from = Math.floor((bar * levels.length) / WAVEFORM_BARS)
    const to = Math.min(levels.length, Math.max(from + 1, Math.floor(((bar + 1) * levels.length) / WAVEFORM_BARS)))
    let sum = 0
    for (let index = from; index < to; index++) sum += levels[index]
    return to > from ? sum / (to - from) : 0
  })
  const loudest = Math.max(...bars)
  return Uint8Array.from(bars.map((bar) => (loudest > 0 ? Math.floor((100 * bar) / loudest) : 0)))
}

function pcmLevels(pcm: Buffer): Uint16Array {
  const levels = new Uint16Array(Math.floor(pcm.length / 2))
  for (let index = 0; index < levels.length; index++) levels[index] = Math.abs(pcm.readInt16LE(index * 2))
  return levels
}

/**
 * The voice note made of `input`: Ogg/Opus as it is, anything else converted when `convert` (the
 * API's `encoding`) allows. The waveform comes from the decoded sound when ffmpeg is there, else from
 * the Opus packets' sizes (louder speech takes more bytes), which needs no decoder.
 */
export async function voiceNote(input: Buffer, options: { convert: boolean }): Promise<VoiceNote> {
  const ffmpeg = await findFfmpeg()
  const dir = await mkdtemp(path.join(tmpdir(), 'sage-voice-'))
  try {
    let audio = input
    if (!isOggOpus(input)) {
      if (!options.convert) throw new VoiceNoteError('With encoding false the audio is sent as it is, so it must be Ogg/Opus.')
      if (!ffmpeg) throw new VoiceNoteError(NO_FFMPEG_MESSAGE)
      // A file, not a pipe: some containers (MP4/M4A with the index at the end) need seeking.
      const source = path.join(dir, 'input')
      await writeFile(source, input)
      const target = path.join(dir, 'voice.ogg')
      await runFfmpeg(ffmpeg, ['-i', source, '-vn', '-map_metadata', '-1', '-ac', '1', '-ar', '48000', '-c:a', 'libopus', '-b:a', '32k', '-application', 'voip', '-f', 'ogg', '-y', target])
      audio = await readFile(target)
    }
    const info = readOggOpus(audio)
    if (!info) throw new VoiceNoteError('The converted audio is not Ogg/Opus.')
    let levels: ArrayLike<number> = info.packetSizes
    if (ffmpeg) {
      const source = path.join(dir, 'voice-in.ogg')
      await writeFile(source, audio)
      levels = pcmLevels(await runFfmpeg(ffmpeg, ['-i', source, '-ac', '1', '-ar', String(PCM_RATE), '-f', 's16le', '-']))
    }
    return { audio, seconds: Math.max(1, Math.round(info.seconds)), waveform: barsOf(levels) }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
