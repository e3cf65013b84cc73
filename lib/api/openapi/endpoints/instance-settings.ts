// The instance's settings and proxy, /api/v1/instance/{name}/settings/… and /proxy/…, in Evolution API v2's shapes.
import { ProxyView, SetProxyBody, SetProxyResponse, SetSettingsBody, SetSettingsResponse, SettingsResponse } from '@/lib/api/schemas/instance-settings'
import type { Endpoint } from '../types'

export const SETTINGS_EXAMPLE = {
  rejectCall: true,
  msgCall: 'Sorry, this number does not take calls. Please send a message.',
  groupsIgnore: false,
  statusIgnore: true,
  channelsIgnore: true,
  alwaysOnline: false,
  readMessages: false,
  readStatus: false,
  syncFullHistory: false,
  sendPolicy: { minGapMs: 3000, jitterMs: 2000, typingMsPerChar: 40, newChatsPerDay: 20, warmUp: true, quietHours: { from: '22:00', to: '08:00' }, timeZone: 'Asia/Kolkata' },
}

const PROXY_EXAMPLE = { enabled: true, host: 'proxy.example.com', port: 3128, protocol: 'http', username: 'acme', hasPassword: true }

export const INSTANCE_SETTINGS_ENDPOINTS: Endpoint[] = [
  {
    id: 'settings-find',
    group: 'instance',
    method: 'GET',
    path: '/api/v1/instance/{name}/settings/find',
    summary: 'Get the instance’s settings',
    description: 'The behaviour switches of the instance; an instance nobody configured has the defaults (everything off except `statusIgnore`).',
    auth: 'instanceKey',
    response: { status: 200, description: 'The settings.', schema: SettingsResponse, example: SETTINGS_EXAMPLE },
    errors: [],
    example: () => ({}),
  },
  {
    id: 'settings-set',
    group: 'instance',
    method: 'POST',
    path: '/api/v1/instance/{name}/settings/set',
    summary: 'Change the instance’s settings',
    description:
      'Send the switches to change; the others keep their values (Evolution API’s all-fields body works too). They take effect at once on a connected instance, without a restart: rejected calls (with `msgCall` sent to the caller), ignored groups, status broadcasts and channels (not stored, no MESSAGES_UPSERT), online presence, and read receipts for what arrives. `syncFullHistory` only matters when the instance is next paired: WhatsApp sends history once, at pairing — its recent chats always, older messages too with this switch (stored as history, announced as MESSAGES_SET, CHATS_SET and CONTACTS_SET, never as MESSAGES_UPSERT). `sendPolicy` paces the instance’s sends (off by default; see “Keeping your number safe”): its fields left out keep their values, and it applies from the next send.',
    auth: 'instanceKey',
    body: SetSettingsBody,
    response: { status: 201, description: 'The settings now in force.', schema: SetSettingsResponse, example: { settings: { instanceName: 'acme-prod', settings: SETTINGS_EXAMPLE } } },
    errors: [],
    example: () => ({ body: { rejectCall: true, msgCall: SETTINGS_EXAMPLE.msgCall } }),
  },
  {
    id: 'proxy-find',
    group: 'instance',
    method: 'GET',
    path: '/api/v1/instance/{name}/proxy/find',
    summary: 'Get the instance’s proxy',
    description: 'The proxy the instance’s WhatsApp connection and media go through. The password is never returned: `hasPassword` says whether one is stored.',
    auth: 'instanceKey',
    response: { status: 200, description: 'The proxy (all null when none is set).', schema: ProxyView, example: PROXY_EXAMPLE },
    errors: [],
    example: () => ({}),
  },
  {
    id: 'proxy-set',
    group: 'instance',
    method: 'POST',
    path: '/api/v1/instance/{name}/proxy/set',
    summary: 'Set or remove the instance’s proxy',
    description:
      'With `enabled: true`, `host`, `port` and `protocol` (`http`, `https` or `socks5`; `username` and `password` optional), the WhatsApp connection and media transfers go through the proxy; a connected instance reconnects through it at once. `enabled: false` removes it. The password is stored encrypted and never returned; leave it out to keep the stored one. The host must be a public address. A proxy that refuses or cannot be reached shows as the instance’s `statusCode` `proxy_failed` (retried with backoff).',
    auth: 'instanceKey',
    body: SetProxyBody,
    response: { status: 201, description: 'The proxy now in force (without its password).', schema: SetProxyResponse, example: { proxy: { instanceName: 'acme-prod', proxy: PROXY_EXAMPLE } } },
    errors: [],
    // Disabling: the docs tests run every example against a paired instance, which must stay direct.
    example: () => ({ body: { enabled: false } }),
  },
]
