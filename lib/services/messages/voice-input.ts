import 'server-only'
import { fileTypeFromBuffer } from 'file-type'
import { ApiError } from '@/lib/api/errors'
import { findFfmpeg, NO_FFMPEG_MESSAGE } from '@/lib/messages/ffmpeg'
import { isOggOpus } from '@/lib/messages/ogg-opus'
import type { MediaInput } from './send'
import { readUrlOrBase64 } from './media-input'
import { MEDIA_LIMIT_BYTES } from './media-limits'

/**
 * sendWhatsAppAudio's `audio`: a checked URL for the worker to fetch, or the decoded audio. What can
 * be judged now is refused now (415): bytes that are no sound, or audio that needs converting when it
 * may not be converted or no ffmpeg is installed. The worker converts (lib/messages/voice-note.ts).
 */
export async function readVoiceNoteInput(audio: string, convert: boolean): Promise<{ url?: string; media?: MediaInput }> {
  const input = await readUrlOrBase64(audio, 'audio', MEDIA_LIMIT_BYTES.audio, 'A voice note')
  if (!input.data) return { url: input.url }
  if (input.data.length === 0) throw new ApiError('invalid_request', 'The audio is empty.', [{ field: 'audio', message: 'Empty file' }])
  if (isOggOpus(input.data)) return { media: { data: input.data, mimetype: 'audio/ogg' } }
  const sniffed = await fileTypeFromBuffer(input.data)
  if (sniffed && !/^(audio|video)\//.test(sniffed.mime)) {
    throw new ApiError('unsupported_media', `A voice note is made from audio; this is ${sniffed.mime}.`, [{ field: 'audio', message: `Not audio: ${sniffed.mime}` }])
  }
  if (!convert) throw new ApiError('unsupported_media', 'With encoding false the audio is sent as it is, so it must be Ogg/Opus.', [{ field: 'audio', message: 'Not Ogg/Opus' }])
  if (!(await findFfmpeg())) throw new ApiError('unsupported_media', NO_FFMPEG_MESSAGE, [{ field: 'audio', message: 'Needs converting, and no ffmpeg is installed' }])
  return { media: { data: input.data, mimetype: sniffed?.mime ?? 'application/octet-stream' } }
}
