// Group endpoints (/api/v1/instance/{name}/group/…): Evolution API v2's request shapes, our responses.
import { z } from 'zod'
import { PhoneNumber } from './instances-data-plane'

/** A group JID (…@g.us); the bare id is accepted too, as Evolution does, and gets @g.us appended. */
export const GroupJid = z
  .string({ error: 'groupJid is required, e.g. "120363012345678901@g.us"' })
  .trim()
  .transform((value) => (value.includes('@') ? value : `${value}@g.us`))
  .pipe(z.string().regex(/^\d{5,20}(-\d{1,20})?@g\.us$/, 'A group JID looks like 120363012345678901@g.us'))
  .describe('The group: its JID, e.g. 120363012345678901@g.us (the bare id works too)')

const Participants = z
  .array(PhoneNumber, { error: 'participants is a list of phone numbers' })
  .min(1, 'Give at least one participant')
  .max(1024, 'At most 1024 participants at once')
  .refine((numbers) => new Set(numbers).size === numbers.length, 'Each participant only once')
  .describe('Phone numbers: country code and number, digits only')

export const InviteCode = z
  .string({ error: 'inviteCode is required' })
  .trim()
  .transform((value) => value.replace(/^https:\/\/chat\.whatsapp\.com\//, ''))
  .pipe(z.string().regex(/^[A-Za-z0-9]{10,32}$/, 'An invite code is the letters and digits after https://chat.whatsapp.com/'))
  .describe('The code from an invite link (https://chat.whatsapp.com/<code>); the whole link works too')

export const CreateGroupBody = z.object({
  subject: z.string({ error: 'subject is required' }).trim().min(1, 'subject cannot be empty').max(100, 'subject is at most 100 characters').describe('The group’s name'),
  participants: Participants,
  description: z.string().max(2048, 'description is at most 2048 characters').optional().describe('The group’s description'),
  promoteParticipants: z.boolean().optional().describe('Make every participant an admin too'),
})

export const GroupJidQuery = z.object({ groupJid: GroupJid })

export const FetchAllGroupsQuery = z.object({
  getParticipants: z
    .enum(['true', 'false'], { error: 'getParticipants is true or false' })
    .optional()
    .describe('true: include each group’s members (default false)'),
})

export const InviteCodeQuery = z.object({ inviteCode: InviteCode })

export const UpdateParticipantBody = z.object({
  groupJid: GroupJid,
  action: z.enum(['add', 'remove', 'promote', 'demote'], { error: 'action is one of add, remove, promote, demote' }).describe('What to do to each participant'),
  participants: Participants,
})

export const UpdateSubjectBody = z.object({
  groupJid: GroupJid,
  subject: z.string({ error: 'subject is required' }).trim().min(1, 'subject cannot be empty').max(100, 'subject is at most 100 characters').describe('The new name'),
})

export const UpdateDescriptionBody = z.object({
  groupJid: GroupJid,
  description: z.string({ error: 'description is required' }).max(2048, 'description is at most 2048 characters').describe('The new description; an empty string removes it'),
})

export const UpdatePictureBody = z.object({
  groupJid: GroupJid,
  image: z
    .string({ error: 'image is required' })
    .min(1, 'image is an https URL or base64 data')
    .refine((value) => /^https?:\/\//i.test(value) || /^(data:image\/[\w.+-]+;base64,)?[A-Za-z0-9+/\s]+={0,2}$/.test(value), 'image is an https URL or base64 data')
    .describe('The picture (JPEG or PNG): an https URL the worker downloads, or base64 data'),
})

export const UpdateSettingBody = z.object({
  groupJid: GroupJid,
  action: z
    .enum(['announcement', 'not_announcement', 'locked', 'unlocked'], { error: 'action is one of announcement, not_announcement, locked, unlocked' })
    .describe('announcement: only admins send; not_announcement: everyone sends; locked: only admins edit the group’s info; unlocked: everyone does'),
})

export const ToggleEphemeralBody = z.object({
  groupJid: GroupJid,
  expiration: z
    .union([z.literal(0), z.literal(86400), z.literal(604800), z.literal(7776000)], { error: 'expiration is 0, 86400, 604800 or 7776000 (seconds)' })
    .describe('Disappearing messages: 0 off, 86400 (24 h), 604800 (7 days) or 7776000 (90 days)'),
})

export const GroupJidBody = z.object({ groupJid: GroupJid })

export const UpdateJoinRequestsBody = z.object({
  groupJid: GroupJid,
  action: z.enum(['approve', 'reject'], { error: 'action is approve or reject' }).describe('Let them in, or turn them away'),
  participants: Participants,
})

const Jid = z.string()

export const GroupMember = z.object({
  id: Jid.describe('The member: the phone-number JID whenever it is known, else the LID (LID-addressed groups)'),
  phoneNumber: Jid.nullable().describe('<number>@s.whatsapp.net, when known'),
  lid: Jid.nullable().describe('<digits>@lid, when known'),
  admin: z.enum(['admin', 'superadmin']).nullable().describe('superadmin: the creator; admin: promoted; null: a member'),
})

export const GroupInfo = z.object({
  id: Jid.describe('The group’s JID'),
  subject: z.string(),
  subjectOwner: Jid.nullable().describe('Who last set the subject'),
  subjectTime: z.number().int().nullable().describe('When the subject was set (Unix seconds)'),
  owner: Jid.nullable().describe('Who created the group'),
  creation: z.number().int().nullable().describe('When the group was created (Unix seconds)'),
  desc: z.string().nullable().describe('The description'),
  descId: z.string().nullable(),
  size: z.number().int().describe('How many members'),
  announce: z.boolean().describe('Only admins may send'),
  restrict: z.boolean().describe('Only admins may edit the group’s info (locked)'),
  joinApprovalMode: z.boolean().describe('Joining by link needs an admin’s approval'),
  memberAddMode: z.boolean().describe('Every member may add people'),
  ephemeralDuration: z.number().int().describe('Disappearing-messages timer in seconds; 0 off'),
  addressingMode: z.enum(['pn', 'lid']).describe('lid: WhatsApp names members by LID in this group (their numbers are still given when known)'),
  isCommunity: z.boolean(),
  linkedParent: Jid.nullable().describe('The community this group belongs to'),
  participants: z.array(GroupMember).optional().describe('The members (fetchAllGroups: only with getParticipants=true)'),
})

export const GroupList = z.array(GroupInfo)

export const ParticipantsResponse = z.object({ participants: z.array(GroupMember) })

export const UpdateParticipantResponse = z.object({
  updateParticipants: z.array(
    z.object({
      number: z.string().describe('The number as asked'),
      jid: Jid,
      status: z
        .enum(['added', 'removed', 'promoted', 'demoted', 'not_on_whatsapp', 'not_a_member', 'already_member', 'invite_sent', 'refused'])
        .describe(
          'added / removed / promoted / demoted: done. not_on_whatsapp: the number has no WhatsApp. not_a_member: nobody to remove, promote or demote. already_member: nothing to add. invite_sent: their privacy settings refuse adds, so they were sent an invite to join instead. refused: WhatsApp refused for another reason (see code)',
        ),
      code: z.number().int().describe('WhatsApp’s own code for this participant: 200 done, 403 privacy, 404 not found, 409 already a member, …'),
    }),
  ),
})

export const InviteCodeResponse = z.object({
  groupJid: Jid,
  inviteCode: z.string(),
  inviteUrl: z.string().describe('https://chat.whatsapp.com/<code>'),
})

export const RevokeInviteCodeResponse = InviteCodeResponse.extend({ revoked: z.literal(true).describe('The old code no longer works') })

export const AcceptInviteResponse = z.object({
  accepted: z.boolean().describe('true: the instance joined'),
  pendingApproval: z.boolean().describe('true: the group needs an admin’s approval; the request was sent'),
  groupJid: Jid,
})

export const LeaveGroupResponse = z.object({ groupJid: Jid, leave: z.literal(true) })

export const UpdatePictureResponse = z.object({ groupJid: Jid, update: z.literal('success') })

export const JoinRequestsResponse = z.object({
  requests: z.array(GroupMember.omit({ admin: true }).extend({ requestedAt: z.number().int().nullable().describe('When they asked (Unix seconds)') })),
})

export const UpdateJoinRequestsResponse = z.object({
  results: z.array(
    z.object({
      number: z.string(),
      jid: Jid,
      status: z.enum(['approved', 'rejected', 'no_request', 'refused']).describe('no_request: that number has not asked to join'),
      code: z.number().int().describe('WhatsApp’s own code for this participant'),
    }),
  ),
})
