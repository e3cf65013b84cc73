'use client'
import { useRouter } from 'next/navigation'
import { useEffect, useState, useTransition } from 'react'
import { EmptyState } from '@/components/dashboard/empty-state'
import { PageHeader } from '@/components/dashboard/shell'
import { Button } from '@/components/ui/button'
import { CopyButton } from '@/components/ui/copy-button'
import { Dialog } from '@/components/ui/dialog'
import { FormDialog } from '@/components/ui/form-dialog'
import { PlusIcon, WebhookIcon } from '@/components/ui/icons'
import { NOT_SUBMITTED, type ActionState } from '@/lib/actions/action-state'
import type { CreateWebhookInput, WebhookDelivery, WebhookEndpoint } from '@/lib/api/schemas/webhooks'
import { createWebhookAction } from './actions'
import { EndpointCard } from './endpoint-card'
import { EndpointFields, type EventOption } from './endpoint-fields'

export type DeliveryRow = WebhookDelivery & { created: string; createdTitle: string; nextAttempt: string | null; lastAttemptWhen: string | null }
export type EndpointRow = WebhookEndpoint & { created: string; failing: string | null; previousSecretUntil: string | null; deliveries: DeliveryRow[] }
export type { EventOption }

/** Shown once after creating an endpoint or rotating its secret. */
export function SecretDialog({ title, secret, onClose }: { title: string; secret: string; onClose: () => void }) {
  return (
    <Dialog
      title={title}
      description="Your endpoint verifies each delivery with this secret (HMAC-SHA256 of “{timestamp}.{raw body}”). Store it in your secrets manager."
      onClose={onClose}
      closeOnBackdrop={false}
      confirmDismiss="Have you copied the signing secret?"
      footer={<Button onClick={onClose}>Done</Button>}
    >
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <code data-testid="webhook-secret" className="palette-fixed block min-w-0 flex-1 break-all rounded-lg bg-slate-900 px-3 py-2.5 font-mono text-[13px] text-emerald-200">
          {secret}
        </code>
        <CopyButton text={secret} label="Copy secret" />
      </div>
      <p className="mt-3 text-sm text-slate-600">
        Every POST carries <code className="font-mono text-[13px]">X-Sage-Signature: sha256=…</code> and{' '}
        <code className="font-mono text-[13px]">X-Sage-Timestamp</code>; the docs have Node and Python snippets that check them.
      </p>
    </Dialog>
  )
}

function CreateEndpointDialog({
  instances,
  events,
  defaultEvents,
  onClose,
  onCreated,
}: {
  instances: string[]
  events: EventOption[]
  defaultEvents: string[]
  onClose: () => void
  onCreated: (secret: string) => void
}) {
  const [url, setUrl] = useState('')
  const [chosen, setChosen] = useState<string[]>(defaultEvents)
  const [instance, setInstance] = useState('')
  const [answer, setAnswer] = useState<ActionState<unknown>>(NOT_SUBMITTED)
  const [pending, startTransition] = useTransition()
  const errors = answer.fieldErrors ?? {}

  const submit = (event: React.FormEvent) => {
    event.preventDefault()
    startTransition(async () => {
      const result = await createWebhookAction({ url, events: chosen as NonNullable<CreateWebhookInput['events']>, instance: instance || null })
      if (result.ok) onCreated(result.value.secret)
      else setAnswer(result)
    })
  }

  return (
    <FormDialog
      title="Add a webhook endpoint"
      description="SAGE-API will POST the events you pick to this URL as signed JSON."
      size="lg"
      submitLabel="Add endpoint"
      pendingLabel="Adding…"
      pending={pending}
      answer={answer}
      onClose={onClose}
      onSubmit={submit}
    >
      <EndpointFields
        idPrefix="webhook"
        values={{ url, events: chosen, instance }}
        onChange={(change) => {
          if (change.url !== undefined) setUrl(change.url)
          if (change.events !== undefined) setChosen(change.events)
          if (change.instance !== undefined) setInstance(change.instance)
        }}
        errors={errors}
        events={events}
        instances={instances}
      />
    </FormDialog>
  )
}

function NoEndpoints({ verified, onAdd }: { verified: boolean; onAdd: () => void }) {
  return (
    <EmptyState
      icon={WebhookIcon}
      title="No webhook endpoints yet"
      action={
        verified && (
          <Button onClick={onAdd}>
            <PlusIcon className="size-4" />
            Add endpoint
          </Button>
        )
      }
    >
      {verified
        ? 'Add a URL and SAGE-API will POST incoming messages, receipts and connection changes to it, signed, retried for a day, and logged here.'
        : 'Verify your email first; then add a URL to receive incoming messages, receipts and connection changes.'}
    </EmptyState>
  )
}

export function WebhooksView({
  endpoints,
  instances,
  events,
  defaultEvents,
  verified,
}: {
  endpoints: EndpointRow[]
  instances: string[]
  events: EventOption[]
  defaultEvents: string[]
  verified: boolean
}) {
  const router = useRouter()
  const [creating, setCreating] = useState(false)
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null)

  // While a delivery is in flight, keep the log fresh without a manual reload.
  const anyPending = endpoints.some((endpoint) => endpoint.deliveries.some((delivery) => delivery.status === 'pending'))
  useEffect(() => {
    if (!anyPending) return
    const timer = setInterval(() => router.refresh(), 1500)
    return () => clearInterval(timer)
  }, [anyPending, router])

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Events from your instances, POSTed to your endpoints as signed JSON, retried for about a day."
        action={
          verified && endpoints.length > 0 ? (
            <Button onClick={() => setCreating(true)}>
              <PlusIcon className="size-4" />
              Add endpoint
            </Button>
          ) : undefined
        }
      />
      {endpoints.length === 0 ? (
        <NoEndpoints verified={verified} onAdd={() => setCreating(true)} />
      ) : (
        <div className="space-y-6">
          {endpoints.map((endpoint) => (
            <EndpointCard key={endpoint.id} endpoint={endpoint} onSecret={(title, value) => setSecret({ title, value })} />
          ))}
        </div>
      )}
      {creating && (
        <CreateEndpointDialog
          instances={instances}
          events={events}
          defaultEvents={defaultEvents}
          onClose={() => setCreating(false)}
          onCreated={(value) => {
            setCreating(false)
            setSecret({ title: 'Endpoint added: here is its signing secret', value })
          }}
        />
      )}
      {secret && <SecretDialog title={secret.title} secret={secret.value} onClose={() => setSecret(null)} />}
    </>
  )
}
