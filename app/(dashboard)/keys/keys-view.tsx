'use client'
import Link from 'next/link'
import { useActionState, useCallback, useEffect, useState } from 'react'
import { EmptyState } from '@/components/dashboard/empty-state'
import { PageHeader } from '@/components/dashboard/shell'
import { Button } from '@/components/ui/button'
import { ConfirmDialog } from '@/components/ui/confirm-dialog'
import { CodeBlock } from '@/components/ui/code-block'
import { CopyField } from '@/components/ui/copy-button'
import { Dialog } from '@/components/ui/dialog'
import { FormDialog } from '@/components/ui/form-dialog'
import { ChevronIcon, KeyIcon, PencilIcon, PlusIcon, TrashIcon, WarningIcon } from '@/components/ui/icons'
import { Notice } from '@/components/ui/notice'
import { NOT_SUBMITTED, typedText } from '@/lib/actions/action-state'
import type { ApiKeySummary } from '@/lib/api/schemas/keys'
import { createKeyAction, revokeKeyAction, updateKeyAction } from './actions'
import { DEFAULT_RATE_LIMIT, KeyFields, keyFormValues, ScopeChoice, type KeyFormValues } from './key-fields'
import { defaultInstance, type InstanceChoice } from '@/lib/instances/default-instance'

/** A key as the page shows it: the summary plus dates already worded on the server (no hydration drift). */
export type KeyRow = ApiKeySummary & { created: string; lastUsed: string; lastUsedTitle?: string; revoked?: string }

const NEW_KEY_VALUES: KeyFormValues = { name: '', rateLimit: String(DEFAULT_RATE_LIMIT), instances: [], cidrs: '' }

function valuesOf(key: ApiKeySummary): KeyFormValues {
  return { name: key.name, rateLimit: String(key.rateLimit), instances: key.instances, cidrs: key.cidrs.join('\n') }
}

function Prefix({ prefix }: { prefix: string }) {
  return (
    <code className="font-mono text-[13px] text-slate-500">
      {prefix}
      <span aria-hidden>…</span>
    </code>
  )
}

function Chips({ items, empty, label }: { items: string[]; empty: string; label: string }) {
  if (items.length === 0) return <span className="text-slate-500">{empty}</span>
  return (
    <ul aria-label={label} className="flex flex-wrap gap-1">
      {items.map((item) => (
        <li key={item} className="rounded-md bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700 ring-1 ring-slate-200 ring-inset">
          {item}
        </li>
      ))}
    </ul>
  )
}

function CreateKeyDialog({ instances, apiBase, onClose }: { instances: InstanceChoice[]; apiBase: string; onClose: () => void }) {
  const [state, action, pending] = useActionState(createKeyAction, NOT_SUBMITTED)
  if (state.ok) return <NewKeyDialog key="secret" created={state.value} instances={instances} apiBase={apiBase} onClose={onClose} />
  return (
    <FormDialog
      key="form"
      title="Create API key"
      description="Your servers send it as a Bearer token on every API request."
      submitLabel="Create key"
      pendingLabel="Creating…"
      pending={pending}
      answer={state}
      onClose={onClose}
      action={action}
    >
      <ScopeChoice key={state.nonce} idPrefix="create-key" value={typedText(state, 'scope') ?? 'instance'} error={state.fieldErrors?.scope} />
      <KeyFields
        idPrefix="create-key"
        instances={instances.map((instance) => instance.name)}
        values={keyFormValues(state, NEW_KEY_VALUES)}
        errors={state.fieldErrors}
        nonce={state.nonce}
        collapsible
      />
    </FormDialog>
  )
}

/** The one and only time the plaintext is on screen. It lives in this dialog's state and goes when it closes. */
function NewKeyDialog({
  created,
  instances,
  apiBase,
  onClose,
}: {
  created: { key: ApiKeySummary; plaintext: string }
  instances: InstanceChoice[]
  apiBase: string
  onClose: () => void
}) {
  const { key, plaintext } = created
  const instance = defaultInstance(instances, key.instances) ?? 'YOUR_INSTANCE'
  const curl = `curl ${apiBase}/api/v1/instance/${instance}/connectionState \\\n  -H "Authorization: Bearer ${plaintext}"`
  return (
    <Dialog
      title="Your new API key"
      description={
        <>
          <span className="font-medium text-slate-800">{key.name}</span> is ready to use.
        </>
      }
      onClose={onClose}
      closeOnBackdrop={false}
      confirmDismiss="Have you copied the key? You will not see it again."
      size="lg"
      footer={<Button onClick={onClose}>Done, I&apos;ve stored it</Button>}
    >
      <div className="space-y-5">
        <div role="note" className="flex gap-3 rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200">
          <WarningIcon className="mt-0.5 size-5 shrink-0 text-amber-600" />
          <p>
            <strong className="font-semibold">You will not see this key again.</strong> Copy it now and store it in your secrets manager. If you lose it,
            revoke it and create a new one.
          </p>
        </div>
        <CopyField id="new-key-plaintext" label="API key" value={plaintext} />
        <dl className="grid grid-cols-1 gap-x-6 gap-y-3 rounded-lg bg-slate-50 px-4 py-3 text-sm ring-1 ring-slate-200 sm:grid-cols-2">
          <div>
            <dt className="text-xs font-medium text-slate-500">Scope</dt>
            <dd className="mt-0.5 text-slate-800">{key.scope === 'account' ? 'Account key' : 'Instance key'}</dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-500">Rate limit</dt>
            <dd className="mt-0.5 text-slate-800">{key.rateLimit} requests / minute</dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-500">Instances</dt>
            <dd className="mt-0.5 text-slate-800">{key.instances.length ? key.instances.join(', ') : 'All instances'}</dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-500">Allowed IPs</dt>
            <dd className="mt-0.5 break-all text-slate-800">{key.cidrs.length ? key.cidrs.join(', ') : 'Anywhere'}</dd>
          </div>
        </dl>
        <div>
          <h3 className="text-sm font-medium text-slate-800">Try it</h3>
          <p className="mt-0.5 text-sm text-slate-500">
            Checks the connection state of {instance === 'YOUR_INSTANCE' ? 'an instance' : <span className="font-mono text-[13px]">{instance}</span>}:
          </p>
          <CodeBlock title="Terminal" code={curl} label="curl example" className="mt-2" />
        </div>
      </div>
    </Dialog>
  )
}

function EditKeyDialog({ apiKey, instances, onClose, onSaved }: { apiKey: KeyRow; instances: string[]; onClose: () => void; onSaved: (key: ApiKeySummary) => void }) {
  const [state, action, pending] = useActionState(updateKeyAction, NOT_SUBMITTED)
  useEffect(() => {
    if (state.ok) onSaved(state.value)
  }, [state, onSaved])
  return (
    <FormDialog
      title={`Edit “${apiKey.name}”`}
      description="Changes apply to the next request, within a second."
      submitLabel="Save changes"
      pendingLabel="Saving…"
      pending={pending}
      answer={state}
      onClose={onClose}
      action={action}
    >
      <input type="hidden" name="id" value={apiKey.id} />
      <p className="flex items-center gap-2 text-sm text-slate-600">
        <KeyIcon className="size-4 text-slate-400" />
        <Prefix prefix={apiKey.prefix} />
      </p>
      <KeyFields idPrefix="edit-key" instances={instances} values={keyFormValues(state, valuesOf(apiKey))} errors={state.fieldErrors} nonce={state.nonce} collapsible={false} />
    </FormDialog>
  )
}

function RevokeKeyDialog({ apiKey, onClose, onRevoked }: { apiKey: KeyRow; onClose: () => void; onRevoked: (key: ApiKeySummary) => void }) {
  return (
    <ConfirmDialog
      title={`Revoke “${apiKey.name}”?`}
      confirmLabel="Revoke key"
      pendingLabel="Revoking…"
      run={() => revokeKeyAction({ id: apiKey.id })}
      onClose={onClose}
      onDone={onRevoked}
    >
      <p>
        Requests signed with <Prefix prefix={apiKey.prefix} /> will be refused with <code className="font-mono text-[13px]">401</code> within a second.
      </p>
      <p>This can&apos;t be undone. Anything still using the key needs a new one.</p>
    </ConfirmDialog>
  )
}

function RowActions({ apiKey, onEdit, onRevoke }: { apiKey: KeyRow; onEdit: () => void; onRevoke: () => void }) {
  return (
    <div className="flex gap-1.5">
      <Button variant="secondary" size="sm" onClick={onEdit} aria-label={`Edit ${apiKey.name}`}>
        <PencilIcon className="size-4 text-slate-400" />
        Edit
      </Button>
      <Button variant="secondary" size="sm" onClick={onRevoke} aria-label={`Revoke ${apiKey.name}`} className="text-red-700! hover:bg-red-50!">
        <TrashIcon className="size-4 text-red-500" />
        Revoke
      </Button>
    </div>
  )
}

function LastUsed({ apiKey }: { apiKey: KeyRow }) {
  return apiKey.lastUsedAt ? (
    <time dateTime={apiKey.lastUsedAt} title={apiKey.lastUsedTitle}>
      {apiKey.lastUsed}
    </time>
  ) : (
    <span className="text-slate-500">Never</span>
  )
}

/** A table from xl up; below that each key is a card with labelled values. */
function KeyTable({ keys, onEdit, onRevoke }: { keys: KeyRow[]; onEdit: (key: KeyRow) => void; onRevoke: (key: KeyRow) => void }) {
  const label = 'block text-xs font-medium text-slate-500 xl:hidden'
  return (
    <div className="overflow-hidden rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Your API keys</caption>
        <thead className="hidden bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500 xl:table-header-group">
          <tr>
            <th scope="col" className="py-3 pl-5 pr-3">Key</th>
            <th scope="col" className="px-3 py-3">Rate limit</th>
            <th scope="col" className="px-3 py-3">Instances</th>
            <th scope="col" className="px-3 py-3">Allowed IPs</th>
            <th scope="col" className="px-3 py-3">Created</th>
            <th scope="col" className="px-3 py-3">Last used</th>
            <th scope="col" className="py-3 pl-3 pr-5"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {keys.map((key) => (
            <tr key={key.id} data-key-id={key.id} className="grid grid-cols-2 gap-x-4 gap-y-3 px-4 py-4 sm:grid-cols-3 sm:px-5 lg:grid-cols-5 xl:table-row xl:p-0">
              <th scope="row" className="col-span-full text-left font-normal xl:py-4 xl:pl-5 xl:pr-3 xl:align-top">
                <Link href={`/keys/${key.id}`} title="Usage of this key" className="block font-semibold text-slate-900 hover:text-brand-700 hover:underline">
                  {key.name}
                </Link>
                <Prefix prefix={key.prefix} />
                {key.scope === 'account' && (
                  <span className="ml-2 rounded-md bg-amber-50 px-1.5 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200 ring-inset">Account key</span>
                )}
              </th>
              <td className="xl:px-3 xl:py-4 xl:align-top">
                <span className={label}>Rate limit</span>
                <span className="whitespace-nowrap tabular-nums text-slate-800">
                  {key.rateLimit}
                  <span className="text-slate-500"> / min</span>
                </span>
              </td>
              <td className="xl:px-3 xl:py-4 xl:align-top">
                <span className={label}>Instances</span>
                <Chips items={key.instances} empty="All instances" label="Pinned instances" />
              </td>
              <td className="xl:px-3 xl:py-4 xl:align-top">
                <span className={label}>Allowed IPs</span>
                <Chips items={key.cidrs} empty="Anywhere" label="IP allowlist" />
              </td>
              <td className="text-slate-600 xl:px-3 xl:py-4 xl:align-top">
                <span className={label}>Created</span>
                <time dateTime={key.createdAt} className="whitespace-nowrap">{key.created}</time>
              </td>
              <td className="text-slate-600 xl:px-3 xl:py-4 xl:align-top">
                <span className={label}>Last used</span>
                <span className="whitespace-nowrap"><LastUsed apiKey={key} /></span>
              </td>
              <td className="col-span-full border-t border-slate-100 pt-3 xl:border-0 xl:py-2.5 xl:pl-3 xl:pr-5 xl:align-top">
                <div className="flex justify-end">
                  <RowActions apiKey={key} onEdit={() => onEdit(key)} onRevoke={() => onRevoke(key)} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function RevokedKeys({ keys }: { keys: KeyRow[] }) {
  if (keys.length === 0) return null
  return (
    <details className="group mt-8 rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
      <summary className="flex cursor-pointer list-none items-center justify-between gap-3 rounded-xl px-5 py-3.5 text-sm font-medium text-slate-700 hover:bg-slate-50 [&::-webkit-details-marker]:hidden">
        <span>
          Revoked keys <span className="ml-1 rounded-full bg-slate-100 px-2 py-0.5 text-xs tabular-nums text-slate-600">{keys.length}</span>
        </span>
        <ChevronIcon className="size-5 text-slate-400 transition group-open:rotate-180" />
      </summary>
      <ul className="divide-y divide-slate-100 border-t border-slate-200">
        {keys.map((key) => (
          <li key={key.id} className="flex flex-col gap-0.5 px-5 py-3 text-sm sm:flex-row sm:items-center sm:justify-between">
            <span>
              <Link href={`/keys/${key.id}`} title="Usage of this key" className="text-slate-700 line-through decoration-slate-300 hover:text-brand-700">
                {key.name}
              </Link>{' '}
              <Prefix prefix={key.prefix} />
            </span>
            <span className="text-slate-500">
              Revoked <time dateTime={key.revokedAt ?? undefined}>{key.revoked}</time>
            </span>
          </li>
        ))}
      </ul>
    </details>
  )
}

function NoKeys({ verified, onCreate }: { verified: boolean; onCreate: () => void }) {
  return (
    <EmptyState icon={KeyIcon} title="No API keys yet" action={<CreateButton verified={verified} onCreate={onCreate} />}>
      <p>
        Your servers send an API key with every request to send messages, read connection states and manage instances. Give each app its own key
        so you can limit it and revoke it on its own.
      </p>
      {!verified && <p className="mt-3 text-amber-800">Verify your email address to create API keys.</p>}
    </EmptyState>
  )
}

function CreateButton({ verified, onCreate }: { verified: boolean; onCreate: () => void }) {
  return (
    <Button onClick={onCreate} disabled={!verified} title={verified ? undefined : 'Verify your email address first'}>
      <PlusIcon className="size-4" />
      Create API key
    </Button>
  )
}

type Open = { kind: 'create' } | { kind: 'edit'; key: KeyRow } | { kind: 'revoke'; key: KeyRow } | null

export function KeysView({
  keys,
  revokedKeys,
  instances,
  verified,
  apiBase,
}: {
  keys: KeyRow[]
  revokedKeys: KeyRow[]
  instances: InstanceChoice[]
  verified: boolean
  apiBase: string
}) {
  const [open, setOpen] = useState<Open>(null)
  const [announcement, setAnnouncement] = useState<string>()
  useEffect(() => {
    if (!announcement) return
    const timer = setTimeout(() => setAnnouncement(undefined), 6000)
    return () => clearTimeout(timer)
  }, [announcement])
  const close = () => setOpen(null)
  const onSaved = useCallback((key: ApiKeySummary) => {
    setOpen(null)
    setAnnouncement(`Saved changes to “${key.name}”.`)
  }, [])
  const onRevoked = useCallback((key: ApiKeySummary) => {
    setOpen(null)
    setAnnouncement(`Revoked “${key.name}”. Requests using it are now refused.`)
  }, [])

  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys authenticate your servers against the REST API, each with its own rate limit, instances and IP ranges."
        action={keys.length > 0 ? <CreateButton verified={verified} onCreate={() => setOpen({ kind: 'create' })} /> : undefined}
      />
      <div role="status" className={announcement ? 'mb-4 rounded-lg bg-brand-50 px-4 py-3 text-sm text-brand-900 ring-1 ring-brand-100' : 'sr-only'}>
        {announcement}
      </div>
      {!verified && keys.length > 0 && (
        <div className="mb-4">
          <Notice tone="warning">Verify your email address to create new API keys.</Notice>
        </div>
      )}
      <section aria-label="Your API keys">
        {keys.length === 0 ? (
          <NoKeys verified={verified} onCreate={() => setOpen({ kind: 'create' })} />
        ) : (
          <KeyTable keys={keys} onEdit={(key) => setOpen({ kind: 'edit', key })} onRevoke={(key) => setOpen({ kind: 'revoke', key })} />
        )}
      </section>
      <RevokedKeys keys={revokedKeys} />

      {open?.kind === 'create' && <CreateKeyDialog instances={instances} apiBase={apiBase} onClose={close} />}
      {open?.kind === 'edit' && <EditKeyDialog key={open.key.id} apiKey={open.key} instances={instances.map((instance) => instance.name)} onClose={close} onSaved={onSaved} />}
      {open?.kind === 'revoke' && <RevokeKeyDialog key={open.key.id} apiKey={open.key} onClose={close} onRevoked={onRevoked} />}
    </>
  )
}
