'use client'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useEffect, useState, useTransition } from 'react'
import { Button } from '@/components/ui/button'
import { Notice } from '@/components/ui/notice'
import { NOT_SUBMITTED, refusalText, type ActionState } from '@/lib/actions/action-state'
import { deliveryOutcomeAction, sendTestEventAction, updateWebhookAction } from '../actions'
import { EndpointFields, type EndpointValues, type EventOption } from '../endpoint-fields'

type Outcome = { status: string; attempts: number; statusCode: number | null; latencyMs: number | null; error: string | null }

/** The test event's result, re-read every second until its first attempt is logged. */
function TestResult({ endpointId, deliveryId }: { endpointId: string; deliveryId: string }) {
  const [outcome, setOutcome] = useState<Outcome>()
  useEffect(() => {
    let stopped = false
    const read = async () => {
      const result = await deliveryOutcomeAction({ id: endpointId, deliveryId })
      if (stopped) return
      if (result.ok) setOutcome(result.value)
      if (!result.ok || result.value.attempts > 0) return
      setTimeout(read, 1000)
    }
    void read()
    return () => {
      stopped = true
    }
  }, [endpointId, deliveryId])
  const link = (
    <Link href={`/webhooks/${endpointId}/deliveries/${deliveryId}`} className="font-semibold underline underline-offset-2">
      request and response
    </Link>
  )
  if (!outcome || outcome.attempts === 0) return <Notice tone="info">Test event sent; waiting for your endpoint to answer…</Notice>
  if (outcome.status === 'succeeded')
    return (
      <Notice tone="success">
        Your endpoint answered HTTP {outcome.statusCode} in {outcome.latencyMs} ms. See the {link}.
      </Notice>
    )
  return (
    <Notice tone="error">
      The test event failed: {outcome.error ?? `HTTP ${outcome.statusCode}`}. See the {link}; it is retried on the usual schedule.
    </Notice>
  )
}

/**
 * Edit an endpoint's URL, events and instance filter. Saving a new URL offers a test event to it,
 * and shows how the endpoint answered.
 */
export function EditEndpoint({
  endpointId,
  initial,
  events,
  instances,
}: {
  endpointId: string
  initial: EndpointValues
  events: EventOption[]
  instances: string[]
}) {
  const router = useRouter()
  const [values, setValues] = useState(initial)
  const [answer, setAnswer] = useState<ActionState<unknown>>(NOT_SUBMITTED)
  const [savedUrl, setSavedUrl] = useState<string>()
  const [testDelivery, setTestDelivery] = useState<string>()
  const [testError, setTestError] = useState<string>()
  const [pending, startTransition] = useTransition()

  const save = (event: React.FormEvent) => {
    event.preventDefault()
    startTransition(async () => {
      const result = await updateWebhookAction({ id: endpointId, url: values.url, events: values.events, instance: values.instance || null })
      setAnswer(result)
      if (!result.ok) return
      setTestDelivery(undefined)
      setSavedUrl(values.url !== initial.url ? values.url : undefined)
      router.refresh()
    })
  }
  const sendTest = () =>
    startTransition(async () => {
      const result = await sendTestEventAction({ id: endpointId })
      if (result.ok) setTestDelivery(result.value)
      else setTestError(refusalText(result))
    })

  return (
    <form onSubmit={save} noValidate aria-label="Edit endpoint" className="space-y-5">
      {answer.ok === false && answer.formError && <Notice tone="error">{answer.formError}</Notice>}
      <EndpointFields
        idPrefix="edit-endpoint"
        values={values}
        onChange={(change) => setValues({ ...values, ...change })}
        errors={answer.fieldErrors ?? {}}
        events={events}
        instances={instances}
      />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" pending={pending && !testDelivery} pendingLabel="Saving…">
          Save changes
        </Button>
        {answer.ok && (
          <p role="status" className="text-sm text-brand-700">
            Saved.
          </p>
        )}
      </div>
      {answer.ok && savedUrl && !testDelivery && (
        <div className="flex flex-col gap-3 rounded-lg bg-slate-50 px-4 py-3 ring-1 ring-slate-200 sm:flex-row sm:items-center sm:justify-between">
          <p className="text-sm text-slate-700">
            New URL saved. Send it a test event to check it answers?
          </p>
          <Button variant="secondary" onClick={sendTest} pending={pending} pendingLabel="Sending…">
            Send test event
          </Button>
        </div>
      )}
      {testError && <Notice tone="error">{testError}</Notice>}
      {testDelivery && <TestResult endpointId={endpointId} deliveryId={testDelivery} />}
    </form>
  )
}
