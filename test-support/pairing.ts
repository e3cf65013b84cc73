// Pairing an instance the way a customer does, with the simulator's phone in the customer's hand.
import type { SimulatorClient } from '@/simulator/client'
import type { Api } from './data-plane'
import { eventually } from './eventually'
import { setTestSendPolicy } from './send-policy'

/**
 * GET connect → the simulated phone `phone` scans the QR → connectionState is open. The instance
 * sends under the test policy (./send-policy.ts) unless `keepDefaultPolicy`.
 */
export async function pairInstance(
  api: Api,
  simulator: { client: SimulatorClient },
  name: string,
  phone: string,
  timeoutMs = 30_000,
  options: { keepDefaultPolicy?: boolean } = {},
): Promise<void> {
  if (!options.keepDefaultPolicy) await setTestSendPolicy(api, name)
  const connect = await api(`${name}/connect`)
  if (connect.status !== 200 || !connect.body?.code) throw new Error(`connect ${name}: ${connect.status} ${JSON.stringify(connect.body)}`)
  await simulator.client.scanQr(connect.body.code, phone)
  await eventually(async () => ((await api(`${name}/connectionState`)).body.instance?.state === 'open' ? true : undefined), timeoutMs, 200)
}
