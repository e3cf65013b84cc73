import { z } from 'zod'

/** WhatsApp's own limits on a push name and an about text. */
export const MAX_PROFILE_NAME = 25
export const MAX_PROFILE_STATUS = 139

export const UpdateProfileNameBody = z.object({
  name: z
    .string({ error: 'name is required' })
    .trim()
    .min(1, 'name cannot be empty')
    .max(MAX_PROFILE_NAME, `name is at most ${MAX_PROFILE_NAME} characters`)
    .describe('The push name contacts see (at most 25 characters)'),
})

export const UpdateProfileStatusBody = z.object({
  status: z
    .string({ error: 'status is required' })
    .max(MAX_PROFILE_STATUS, `status is at most ${MAX_PROFILE_STATUS} characters`)
    .describe('The about text (at most 139 characters; empty clears it)'),
})

export const UpdateProfilePictureBody = z.object({
  picture: z
    .string({ error: 'picture is required' })
    .min(1, 'picture is an https URL or base64 data')
    .describe('The picture (JPEG, PNG or WebP, up to 16 MB): an https URL the worker downloads, or base64 data. WhatsApp shows it square: the middle is cropped and scaled to 640×640'),
})

export const ProfileUpdateResponse = z.object({
  jid: z.string().describe('The instance’s own number JID'),
  name: z.string().nullable().describe('The push name, after the change'),
  status: z.string().nullable().optional().describe('The about text, after chat/updateProfileStatus'),
  picture: z.boolean().optional().describe('Whether the instance has a picture now, after chat/updateProfilePicture or chat/removeProfilePicture'),
})
