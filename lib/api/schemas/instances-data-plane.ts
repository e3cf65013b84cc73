import { z } from 'zod'
import { PAUSE_REASONS } from '@/lib/instances/send-health'
import { INSTANCE_STATUS_CODES } from '@/lib/instances/status-codes'

/** `number`: country code and number, digits only, 10–15 digits; `+`, spaces and dashes are stripped first. */
export const PhoneNumber = z
  .string({ error: 'Give the number as a string of digits, e.g. "919876543210"' })
  .transform((value) => value.replace(/[\s+\-()]/g, ''))
  .pipe(z.string().regex(/^\d{10,15}$/, 'Country code and number, digits only, 10–15 digits'))

export const ConnectQuery = z.object({
  number: PhoneNumber.optional().describe('Your phone number (country code and number): asks for an 8-character pairing code instead of a QR'),
})

export const ConnectionStateResponse = z.object({
  instance: z.object({ instanceName: z.string(), state: z.enum(['open', 'connecting', 'close']) }),
})

export const ResumeResponse = z.object({
  instanceName: z.string(),
  state: z.enum(['open', 'connecting', 'close']),
  statusCode: z.enum(INSTANCE_STATUS_CODES).describe('open again once resumed; banned while a banned instance reconnects'),
  sendPause: z
    .object({ reason: z.enum(PAUSE_REASONS), since: z.string() })
    .nullable()
    .describe('Why sending is still paused (null: it sends)'),
  resumed: z.boolean().describe('false when the instance was not paused (nothing changed)'),
})

export const ConnectResponse = z.object({
  code: z.string().nullable().describe('The raw QR string'),
  base64: z.string().nullable().describe('PNG data URL of the QR code'),
  pairingCode: z.string().nullable(),
  count: z.number().int(),
})
