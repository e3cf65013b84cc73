// Presence (/chat/sendPresence, /chat/subscribePresence) and the instance's own profile
// (/chat/updateProfileName, …Status, …Picture, /chat/removeProfilePicture): Evolution API v2's paths
// and bodies, our answers. The issue that asked for them named the profile ones profile/updateName
// and so on; Evolution keeps them under chat/, so they are there.
import { SendPresenceBody, SendPresenceResponse, SubscribePresenceBody, SubscribePresenceResponse } from '@/lib/api/schemas/presence'
import { ProfileUpdateResponse, UpdateProfileNameBody, UpdateProfilePictureBody, UpdateProfileStatusBody } from '@/lib/api/schemas/profile'
import type { Endpoint } from '../types'

const JID = '919876543210@s.whatsapp.net'
const OWN = '15551110000@s.whatsapp.net'
const CONNECTED: Endpoint['errors'] = ['instance_not_connected', 'whatsapp_error', 'timeout']

export const PRESENCE_PROFILE_ENDPOINTS: Endpoint[] = [
  {
    id: 'chat-send-presence',
    group: 'chat',
    method: 'POST',
    path: '/api/v1/instance/{name}/chat/sendPresence',
    summary: 'Show “typing…” or go online',
    description:
      'composing shows “typing…” and recording “recording audio…” in the chat (a contact or a group) until you send paused or a message, or, with `delay` (at most 60,000 ms), for that long: the request answers at once and the instance keeps the state up (sending it again every 20 s, as WhatsApp’s apps drop it after about 25 s) and then sends paused. available / unavailable set the whole account online or offline, whatever the chat; WhatsApp shows an account online only once it has a push name (409 `push_name_required`: set one with chat/updateProfileName). Evolution API’s body works as is; its request waits for the delay, ours does not. Needs the instance connected.',
    auth: 'instanceKey',
    body: SendPresenceBody,
    response: { status: 200, description: 'WhatsApp took the state.', schema: SendPresenceResponse, example: { jid: JID, presence: 'composing', until: '2025-01-01T09:30:05.000Z' } },
    errors: [...CONNECTED, 'push_name_required'],
    example: (context) => ({ body: { number: context.number, presence: 'composing', delay: 3000 } }),
  },
  {
    id: 'chat-subscribe-presence',
    group: 'chat',
    method: 'POST',
    path: '/api/v1/instance/{name}/chat/subscribePresence',
    summary: 'Follow a chat’s presence',
    description:
      'Asks WhatsApp for a contact’s online state and typing, or for the typing of a group’s members. WhatsApp answers with the contact’s current state and then each change, as PRESENCE_UPDATE events (subscribe to them on a webhook), for as long as the instance stays connected; the worker holding the instance subscribes again after each reconnect, until the instance is restarted or moves to another worker. A contact whose privacy hides its last seen and online state shows nothing. Needs the instance connected.',
    auth: 'instanceKey',
    body: SubscribePresenceBody,
    response: { status: 200, description: 'Subscribed.', schema: SubscribePresenceResponse, example: { jid: JID, subscribed: true } },
    errors: CONNECTED,
    example: (context) => ({ body: { number: context.number } }),
  },
  {
    id: 'chat-update-profile-name',
    group: 'chat',
    method: 'POST',
    path: '/api/v1/instance/{name}/chat/updateProfileName',
    summary: 'Set the instance’s name',
    description: 'The push name contacts see beside the number (and the CONNECTION_UPDATE `profileName`). Needs the instance connected.',
    auth: 'instanceKey',
    body: UpdateProfileNameBody,
    response: { status: 200, description: 'The profile after the change.', schema: ProfileUpdateResponse, example: { jid: OWN, name: 'Acme Support' } },
    errors: CONNECTED,
    example: () => ({ body: { name: 'Acme Support' } }),
  },
  {
    id: 'chat-update-profile-status',
    group: 'chat',
    method: 'POST',
    path: '/api/v1/instance/{name}/chat/updateProfileStatus',
    summary: 'Set the instance’s about text',
    description: 'The about text contacts see in the profile (chat/fetchProfile shows it). Needs the instance connected.',
    auth: 'instanceKey',
    body: UpdateProfileStatusBody,
    response: { status: 200, description: 'The profile after the change.', schema: ProfileUpdateResponse, example: { jid: OWN, name: 'Acme Support', status: 'Open 9:00–17:00' } },
    errors: CONNECTED,
    example: () => ({ body: { status: 'Open 9:00–17:00' } }),
  },
  {
    id: 'chat-update-profile-picture',
    group: 'chat',
    method: 'POST',
    path: '/api/v1/instance/{name}/chat/updateProfilePicture',
    summary: 'Set the instance’s picture',
    description:
      'A JPEG, PNG or WebP picture, checked as message/sendMedia checks an image: base64 up to 16 MB (413 `payload_too_large` above), a file that is not one of these pictures 415 `unsupported_media`, an https URL through the same address checks (the worker downloads it within the same limit). WhatsApp keeps it as a 640×640 JPEG. Needs the instance connected.',
    auth: 'instanceKey',
    body: UpdateProfilePictureBody,
    response: { status: 200, description: 'The profile after the change.', schema: ProfileUpdateResponse, example: { jid: OWN, name: 'Acme Support', picture: true } },
    errors: [...CONNECTED, 'payload_too_large', 'unsupported_media'],
    example: (context) => ({ body: { picture: context.mediaUrl } }),
  },
  {
    id: 'chat-remove-profile-picture',
    group: 'chat',
    method: 'DELETE',
    path: '/api/v1/instance/{name}/chat/removeProfilePicture',
    summary: 'Remove the instance’s picture',
    description: 'Contacts see the default picture again. Needs the instance connected.',
    auth: 'instanceKey',
    response: { status: 200, description: 'The profile after the change.', schema: ProfileUpdateResponse, example: { jid: OWN, name: 'Acme Support', picture: false } },
    errors: CONNECTED,
    example: () => ({}),
  },
]
