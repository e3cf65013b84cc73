// POST /api/v1/instance/{name}/message/sendWhatsAppAudio – send a voice note (ptt): Ogg/Opus as it is, other audio converted.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { created } from '@/lib/api/responses'
import { SendWhatsAppAudioBody } from '@/lib/api/schemas/messages'
import { JSON_MEDIA_MAX_BODY_BYTES } from '@/lib/services/messages/media-input'
import { sendMessage } from '@/lib/services/messages/send'
import { readVoiceNoteInput } from '@/lib/services/messages/voice-input'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: SendWhatsAppAudioBody, maxBodyBytes: JSON_MEDIA_MAX_BODY_BYTES }, async ({ auth, body }) => {
    const encoding = body.encoding ?? true
    const { url, media } = await readVoiceNoteInput(body.audio, encoding)
    const message = await sendMessage(
      { ...auth.instance, userId: auth.apiKey.userId },
      { to: body.number, content: { kind: 'voice', url, encoding, quoted: body.quoted, mentions: body.mentions, mentionsEveryOne: body.mentionsEveryOne }, media, delayMs: body.delay, sendAt: body.sendAt, priority: body.priority },
    )
    return created(message)
  }),
})
