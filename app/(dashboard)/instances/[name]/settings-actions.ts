'use server'
import { z } from 'zod'
import { formAction } from '@/lib/actions/server-action'
import { SendPolicyFields, SettingsFields, SetProxyBody } from '@/lib/api/schemas/instance-settings'
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
/** A number typed in a form field (blank: null, for "none"). */
const typedNumber = (value: unknown) => (value === '' || value === undefined ? null : Number(value))

const SendPolicyForm = z
  .object({
    name: z.string(),
    minGapMs: z.preprocess((value) => typedNumber(value) ?? 0, SendPolicyFields.minGapMs),
    jitterMs: z.preprocess((value) => typedNumber(value) ?? 0, SendPolicyFields.jitterMs),
    typingMsPerChar: z.preprocess((value) => typedNumber(value) ?? 0, SendPolicyFields.typingMsPerChar),
    newChatsPerDay: z.preprocess(typedNumber, SendPolicyFields.newChatsPerDay),
    warmUp: checkbox,
    quietFrom: z.preprocess(emptyToUndefined, z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time of day as HH:MM, e.g. 22:00').optional()),
    quietTo: z.preprocess(emptyToUndefined, z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time of day as HH:MM, e.g. 08:00').optional()),
    timeZone: z.preprocess((value) => emptyToUndefined(value) ?? 'UTC', SendPolicyFields.timeZone),
  })
  .superRefine((form, context) => {
    if ((form.quietFrom === undefined) !== (form.quietTo === undefined)) {
      context.addIssue({ code: 'custom', path: [form.quietFrom === undefined ? 'quietFrom' : 'quietTo'], message: 'Give both ends of the quiet hours, or neither' })
    }
  })

/** The send policy form saves the whole policy at once (blank cap or quiet hours: none). */
export const saveSendPolicyAction = formAction({ input: SendPolicyForm }, async ({ user, input }): Promise<SettingsView> => {
  const { name, quietFrom, quietTo, ...policy } = input
  const quietHours = quietFrom && quietTo ? { from: quietFrom, to: quietTo } : null
  return changeSettings(await findInstance({ ctx: user, input: { name } }), { sendPolicy: { ...policy, quietHours } })
})

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
