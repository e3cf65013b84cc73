// The send policy a test instance runs under. New instances get the product's protective defaults
// (lib/messages/send-policy.ts: gaps of seconds, "typing…", a few new chats a day on a new number),
// which would make most tests slow or hold their sends for a day. Tests that are not about the policy
// turn it off the way a customer would, through settings/set; e2e/send-policy.test.ts proves the defaults.
import type { Api } from './data-plane'

export const TEST_SEND_POLICY = { minGapMs: 0, jitterMs: 0, typingMsPerChar: 0, newChatsPerDay: null, warmUp: false, quietHours: null }

export async function setTestSendPolicy(api: Api, name: string): Promise<void> {
  const response = await api(`${name}/settings/set`, { method: 'POST', body: JSON.stringify({ sendPolicy: TEST_SEND_POLICY }) })
  if (response.status !== 201) throw new Error(`settings/set ${name}: ${response.status} ${JSON.stringify(response.body)}`)
}
