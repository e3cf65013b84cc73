'use client'
import { useActionState, useEffect, useState } from 'react'
import { Field, SelectField, TextareaField } from '@/components/ui/field'
import { Notice } from '@/components/ui/notice'
import { SubmitButton } from '@/components/ui/submit-button'
import { NOT_SUBMITTED, typedText, type ActionState } from '@/lib/actions/action-state'
import { PROXY_PROTOCOLS } from '@/lib/instances/proxy-protocols'
import type { ProxyView, SettingsView } from '@/lib/services/instances/settings'
import { removeProxyAction, saveProxyAction, saveSendPolicyAction, saveSettingsAction } from './settings-actions'

const SWITCHES: { field: keyof Omit<SettingsView, 'msgCall' | 'sendPolicy'>; label: string; hint: string }[] = [
  { field: 'rejectCall', label: 'Reject calls', hint: 'Incoming voice and video calls are declined at once; the reply below goes to the caller.' },
  { field: 'groupsIgnore', label: 'Ignore groups', hint: 'Group messages are not stored and not sent to your webhooks.' },
  { field: 'statusIgnore', label: 'Ignore status updates', hint: 'Contacts’ status posts are not stored and not sent to your webhooks.' },
  { field: 'channelsIgnore', label: 'Ignore channels', hint: 'Posts of channels (newsletters) are not stored and not sent to your webhooks.' },
  { field: 'alwaysOnline', label: 'Always online', hint: 'Contacts see this number online while it is connected.' },
  { field: 'readMessages', label: 'Mark incoming messages as read', hint: 'Senders see blue ticks as soon as a message arrives.' },
  { field: 'readStatus', label: 'Mark status updates as read', hint: 'Only when status updates are not ignored.' },
  { field: 'syncFullHistory', label: 'Full history at pairing', hint: 'Asks the phone for the whole chat history the next time this instance is paired; no effect once paired.' },
]

function Saved({ state, message }: { state: ActionState<unknown>; message: string }) {
  if (state.ok) return <p role="status" className="text-sm font-medium text-brand-700">{message}</p>
  return null
}

function SettingsForm({ name, initial }: { name: string; initial: SettingsView }) {
  const [state, action] = useActionState(saveSettingsAction, NOT_SUBMITTED)
  const settings = state.ok ? state.value : initial
  const refilled = (field: string) => (state.ok === false ? state.values?.[field] === 'on' : settings[field as keyof SettingsView] === true)
  return (
    <form action={action} noValidate aria-labelledby="settings-heading" className="space-y-4" key={state.nonce}>
      <input type="hidden" name="name" value={name} />
      <fieldset className="space-y-3">
        <legend className="sr-only">Behaviour</legend>
        {SWITCHES.map(({ field, label, hint }) => (
          <div key={field} className="flex items-start gap-3">
            <input id={`setting-${field}`} name={field} type="checkbox" defaultChecked={refilled(field)} aria-describedby={`setting-${field}-hint`} className="mt-0.5 size-4 rounded border-slate-300 text-brand-600 focus:ring-brand-600" />
            <div>
              <label htmlFor={`setting-${field}`} className="text-sm font-medium text-slate-800">{label}</label>
              <p id={`setting-${field}-hint`} className="text-sm text-slate-500">{hint}</p>
            </div>
          </div>
        ))}
      </fieldset>
      <TextareaField
        id="setting-msgCall"
        name="msgCall"
        label="Reply to rejected calls"
        rows={2}
        maxLength={1000}
        defaultValue={state.ok === false ? typedText(state, 'msgCall') : (settings.msgCall ?? '')}
        error={state.fieldErrors?.msgCall}
        hint="Sent as a message to whoever called, when calls are rejected. Leave empty to send nothing."
      />
      {state.ok === false && state.formError && <Notice tone="error">{state.formError}</Notice>}
      <div className="flex items-center gap-4">
        <SubmitButton pendingLabel="Saving…">Save settings</SubmitButton>
        <Saved state={state} message="Settings saved. They apply now, without a restart." />
      </div>
    </form>
  )
}

/** The send policy ("Keeping your number safe" on /docs): pacing, typing, the new-chat cap, quiet hours. */
function SendPolicyForm({ name, initial }: { name: string; initial: SettingsView['sendPolicy'] }) {
  const [state, action] = useActionState(saveSendPolicyAction, NOT_SUBMITTED)
  const policy = state.ok ? state.value.sendPolicy : initial
  const typed = (field: string, fallback: string) => (state.ok === false ? (typedText(state, field) ?? '') : fallback)
  return (
    <form action={action} noValidate aria-label="Send policy" className="grid gap-4 sm:grid-cols-2" key={state.nonce}>
      <input type="hidden" name="name" value={name} />
      <Field id="policy-minGapMs" name="minGapMs" label="Minimum gap between sends" inputMode="numeric" suffix="ms" defaultValue={typed('minGapMs', String(policy.minGapMs))} error={state.fieldErrors?.minGapMs} hint="Default 3000; 0 sends as fast as WhatsApp takes them." />
      <Field id="policy-jitterMs" name="jitterMs" label="Random extra gap, up to" inputMode="numeric" suffix="ms" defaultValue={typed('jitterMs', String(policy.jitterMs))} error={state.fieldErrors?.jitterMs} hint="Default 2000, so sends are not machine-regular." />
      <Field id="policy-typingMsPerChar" name="typingMsPerChar" label="“typing…” per character" inputMode="numeric" suffix="ms" defaultValue={typed('typingMsPerChar', String(policy.typingMsPerChar))} error={state.fieldErrors?.typingMsPerChar} hint="Default 40 (at most 10 s per message); 0: off." />
      <Field id="policy-newChatsPerDay" name="newChatsPerDay" label="New chats per day" inputMode="numeric" defaultValue={typed('newChatsPerDay', policy.newChatsPerDay === null ? '' : String(policy.newChatsPerDay))} error={state.fieldErrors?.newChatsPerDay} hint="First messages to people who never wrote to this number. Default 20; empty: no cap." />
      <div className="flex items-start gap-3 sm:col-span-2">
        <input id="policy-warmUp" name="warmUp" type="checkbox" defaultChecked={state.ok === false ? state.values?.warmUp === 'on' : policy.warmUp} aria-describedby="policy-warmUp-hint" className="mt-0.5 size-4 rounded border-slate-300 text-brand-600 focus:ring-brand-600" />
        <div>
          <label htmlFor="policy-warmUp" className="text-sm font-medium text-slate-800">Warm up a new number</label>
          <p id="policy-warmUp-hint" className="text-sm text-slate-500">5, 10, 20, 40, 80 new chats on its first five days of sending, then the cap above.</p>
        </div>
      </div>
      <Field id="policy-quietFrom" name="quietFrom" label="Quiet hours from" placeholder="22:00" defaultValue={typed('quietFrom', policy.quietHours?.from ?? '')} error={state.fieldErrors?.quietFrom} hint="Empty: no quiet hours." />
      <Field id="policy-quietTo" name="quietTo" label="Quiet hours until" placeholder="08:00" defaultValue={typed('quietTo', policy.quietHours?.to ?? '')} error={state.fieldErrors?.quietTo} />
      <Field id="policy-timeZone" name="timeZone" label="Time zone" spellCheck={false} defaultValue={typed('timeZone', policy.timeZone)} error={state.fieldErrors?.timeZone} hint="Of the quiet hours and of the cap’s days, e.g. Asia/Kolkata." />
      {state.ok === false && state.formError && (
        <div className="sm:col-span-2">
          <Notice tone="error">{state.formError}</Notice>
        </div>
      )}
      <div className="flex items-center gap-4 sm:col-span-2">
        <SubmitButton pendingLabel="Saving…">Save send policy</SubmitButton>
        <Saved state={state} message="Send policy saved. It applies to the next send." />
      </div>
    </form>
  )
}

function ProxyForm({ name, initial }: { name: string; initial: ProxyView }) {
  const [state, action] = useActionState(saveProxyAction, NOT_SUBMITTED)
  const [removed, remove] = useActionState(removeProxyAction, NOT_SUBMITTED)
  // Whichever answered last (save or remove) is what is in force now.
  const [proxy, setProxy] = useState(initial)
  useEffect(() => {
    if (state.ok) setProxy(state.value)
  }, [state])
  useEffect(() => {
    if (removed.ok) setProxy(removed.value)
  }, [removed])
  const typed = (field: string, fallback: string) => (state.ok === false ? (typedText(state, field) ?? '') : fallback)
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        {proxy.enabled ? (
          <>
            WhatsApp is reached through <span className="font-mono">{proxy.protocol}://{proxy.host}:{proxy.port}</span>
            {proxy.username ? <> as <span className="font-mono">{proxy.username}</span></> : null}.
          </>
        ) : (
          'No proxy: WhatsApp is reached directly.'
        )}
      </p>
      <form action={action} noValidate aria-label="Proxy" className="grid gap-4 sm:grid-cols-2" key={state.nonce}>
        <input type="hidden" name="name" value={name} />
        <SelectField id="proxy-protocol" name="protocol" label="Protocol" defaultValue={typed('protocol', proxy.protocol ?? 'http')} error={state.fieldErrors?.protocol}>
          {PROXY_PROTOCOLS.map((protocol) => (
            <option key={protocol} value={protocol}>{protocol}</option>
          ))}
        </SelectField>
        <Field id="proxy-host" name="host" label="Host" autoComplete="off" spellCheck={false} defaultValue={typed('host', proxy.host ?? '')} error={state.fieldErrors?.host} className="font-mono" />
        <Field id="proxy-port" name="port" label="Port" inputMode="numeric" autoComplete="off" defaultValue={typed('port', proxy.port ? String(proxy.port) : '')} error={state.fieldErrors?.port} className="font-mono" />
        <Field id="proxy-username" name="username" label="Username (optional)" autoComplete="off" defaultValue={typed('username', proxy.username ?? '')} error={state.fieldErrors?.username} />
        <Field
          id="proxy-password"
          name="password"
          type="password"
          label="Password (optional)"
          autoComplete="new-password"
          error={state.fieldErrors?.password}
          hint={proxy.hasPassword ? 'A password is stored. Leave empty to keep it.' : undefined}
        />
        {state.ok === false && state.formError && (
          <div className="sm:col-span-2">
            <Notice tone="error">{state.formError}</Notice>
          </div>
        )}
        <div className="flex items-center gap-4 sm:col-span-2">
          <SubmitButton pendingLabel="Saving…">Save proxy</SubmitButton>
          <Saved state={state} message="Proxy saved. The instance reconnects through it now." />
        </div>
      </form>
      {proxy.enabled && (
        <form action={remove}>
          <input type="hidden" name="name" value={name} />
          <div className="flex items-center gap-4">
            <SubmitButton variant="secondary" pendingLabel="Removing…">Remove proxy</SubmitButton>
            <Saved state={removed} message="Proxy removed. The instance reconnects directly." />
          </div>
        </form>
      )}
    </div>
  )
}

/** The instance's behaviour switches and its proxy, below its connection and messages. */
export function SettingsPanel({ name, settings, proxy }: { name: string; settings: SettingsView; proxy: ProxyView }) {
  return (
    <section aria-labelledby="settings-heading" className="mt-8 space-y-8 rounded-xl bg-white p-5 shadow-xs ring-1 ring-slate-200 sm:p-6">
      <div>
        <h2 id="settings-heading" className="text-base font-semibold text-slate-900">Settings</h2>
        <div className="mt-4">
          <SettingsForm name={name} initial={settings} />
        </div>
      </div>
      <div>
        <h2 className="text-base font-semibold text-slate-900">Send policy</h2>
        <p className="mt-1 text-sm text-slate-600">Sends over these limits wait (status QUEUED_BY_POLICY, with the time they go out); none is dropped.</p>
        <div className="mt-4">
          <SendPolicyForm name={name} initial={settings.sendPolicy} />
        </div>
      </div>
      <div>
        <h2 className="text-base font-semibold text-slate-900">Proxy</h2>
        <div className="mt-2">
          <ProxyForm name={name} initial={proxy} />
        </div>
      </div>
    </section>
  )
}
