'use server'
import { z } from 'zod'
import { formAction } from '@/lib/actions/server-action'
import { SettingsFields, SetProxyBody } from '@/lib/api/schemas/instance-settings'
import { findInstance } from '@/lib/services/instances/instances'
import { changeProxy, changeSettings, type ProxyView, type SettingsView } from '@/lib/services/instances/settings'

/** A checkbox: "on" when ticked, absent when not. */
const checkbox = z.preprocess((value) => value === 'on', z.boolean())

const SettingsForm = z.object({
  name: z.string(),
  rejectCall: checkbox,
  msgCall: z.preprocess((value) => (typeof value === 'string' ? value : ''), SettingsFields.msgCall.unwrap()),
  groupsIgnore: checkbox,
  statusIgnore: checkbox,
  channelsIgnore: checkbox,
  alwaysOnline: checkbox,
  readMessages: checkbox,
  readStatus: checkbox,
  syncFullHistory: checkbox,
})

/** The settings form saves every switch at once (an unticked box is off). */
export const saveSettingsAction = formAction({ input: SettingsForm }, async ({ user, input }): Promise<SettingsView> => {
  const { name, ...settings } = input
  return changeSettings(await findInstance({ ctx: user, input: { name } }), settings)
})

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value)

const ProxyForm = z.object({
  name: z.string(),
  protocol: SetProxyBody.shape.protocol,
  host: z.preprocess(emptyToUndefined, SetProxyBody.shape.host.unwrap()),
  port: z.preprocess(emptyToUndefined, SetProxyBody.shape.port.unwrap()),
  username: z.preprocess((value) => (value === '' ? null : value), SetProxyBody.shape.username),
  password: z.preprocess(emptyToUndefined, SetProxyBody.shape.password),
})

/** Sets the proxy; a blank password keeps the stored one (it is never shown). */
export const saveProxyAction = formAction({ input: ProxyForm }, async ({ user, input }): Promise<ProxyView> => {
  const { name, ...proxy } = input
  return changeProxy(await findInstance({ ctx: user, input: { name } }), { enabled: true, ...proxy })
})

export const removeProxyAction = formAction({ input: z.object({ name: z.string() }) }, async ({ user, input }): Promise<ProxyView> =>
  changeProxy(await findInstance({ ctx: user, input: { name: input.name } }), { enabled: false }),
)
