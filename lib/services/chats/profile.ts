import 'server-only'
import { fileTypeFromBuffer } from 'file-type'
import type { z } from 'zod'
import { ApiError } from '@/lib/api/errors'
import { runCommand } from '@/lib/bus/commands'
import type { ProfileUpdateResponse } from '@/lib/api/schemas/profile'
import { requireOpen } from '@/lib/services/messages/chat'
import { readUrlOrBase64 } from '@/lib/services/messages/media-input'
import { MEDIA_LIMIT_BYTES } from '@/lib/services/messages/media-limits'

type Instance = { id: string; name: string }
type ProfileUpdate = z.infer<typeof ProfileUpdateResponse>
const PROFILE_TIMEOUT_MS = 30_000
/** What WhatsApp's own apps accept as a profile picture (the worker turns it into a 640×640 JPEG). */
export const PROFILE_PICTURE_TYPES = ['image/jpeg', 'image/png', 'image/webp']

/** chat/updateProfileName: the push name contacts see. */
export async function updateProfileName(instance: Instance, name: string): Promise<ProfileUpdate> {
  await requireOpen(instance)
  return (await runCommand(instance.id, 'update_profile', { name }, PROFILE_TIMEOUT_MS)) as ProfileUpdate
}

/** chat/updateProfileStatus: the about text. */
export async function updateProfileStatus(instance: Instance, status: string): Promise<ProfileUpdate> {
  await requireOpen(instance)
  return (await runCommand(instance.id, 'update_profile', { status }, PROFILE_TIMEOUT_MS)) as ProfileUpdate
}

/**
 * The picture as sendMedia checks an image: an https URL through the SSRF guard (the worker fetches
 * it within the image limit), or base64 within the limit whose bytes are a picture WhatsApp takes.
 */
async function pictureInput(picture: string): Promise<{ url: string } | { base64: string }> {
  const input = await readUrlOrBase64(picture, 'picture', MEDIA_LIMIT_BYTES.image, 'A picture')
  if (!input.data) return { url: input.url }
  const bytes = input.data
  const sniffed = await fileTypeFromBuffer(bytes)
  if (!sniffed || !PROFILE_PICTURE_TYPES.includes(sniffed.mime)) {
    throw new ApiError('unsupported_media', `A profile picture is a JPEG, PNG or WebP picture; this is ${sniffed?.mime ?? 'not a picture'}.`, [{ field: 'picture', message: 'Not JPEG, PNG or WebP' }])
  }
  return { base64: bytes.toString('base64') }
}

/** chat/updateProfilePicture: the instance's own picture. */
export async function updateProfilePicture(instance: Instance, picture: string): Promise<ProfileUpdate> {
  const input = await pictureInput(picture)
  await requireOpen(instance)
  return (await runCommand(instance.id, 'update_profile', { picture: input }, PROFILE_TIMEOUT_MS)) as ProfileUpdate
}

/** chat/removeProfilePicture. */
export async function removeProfilePicture(instance: Instance): Promise<ProfileUpdate> {
  await requireOpen(instance)
  return (await runCommand(instance.id, 'update_profile', { removePicture: true }, PROFILE_TIMEOUT_MS)) as ProfileUpdate
}
