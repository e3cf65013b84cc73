// The prose sections of /docs around the endpoint reference. Customers quote this wording (error codes,
// headers, snippets), so change it only together with the behaviour it describes.
import Link from 'next/link'
import { CodeTabs } from '@/components/docs/code-tabs'
import { ERROR_CODES } from '@/lib/api/errors'
import { fieldRows, jsonSchemaOf } from '@/lib/api/openapi/json-schema'
import { VERIFY_NODE, VERIFY_PYTHON, WEBHOOK_EVENT_DATA, WEBHOOK_EVENT_NAMES, WEBHOOK_HEADERS, webhookPayloadExample } from '@/lib/api/openapi/webhook-events'
import { DEFAULT_POLICY, POLICY_OFF, RECOMMENDED_POLICY, WARM_UP_CAPS } from '@/lib/messages/send-policy'
import {
  REFUSED_SENDS_PAUSE_AFTER,
  REFUSED_WINDOW_MS,
  UNDELIVERED_GRACE_MS,
  UNDELIVERED_MIN_SENDS,
  UNDELIVERED_PAUSE_SHARE,
} from '@/lib/instances/send-health'
import { Code, Prose, SectionHeading } from './prose'

function Section({ id, title, eyebrow, children }: { id: string; title: string; eyebrow?: string; children: React.ReactNode }) {
  return (
    <section id={id} className="scroll-mt-24 border-t border-slate-200 py-12 first:border-t-0 first:pt-2">
      <SectionHeading id={id} eyebrow={eyebrow}>
        {title}
      </SectionHeading>
      <div className="space-y-5">{children}</div>
    </section>
  )
}

function Table({ head, rows, label }: { head: string[]; rows: React.ReactNode[][]; label: string }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table aria-label={label} className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            {head.map((cell) => (
              <th key={cell} scope="col" className="px-4 py-2.5">
                {cell}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row, index) => (
            <tr key={index} className="align-top">
              {row.map((cell, cellIndex) => (
                <td key={cellIndex} className="px-4 py-2.5 text-slate-700">
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function GettingStarted({ signedIn, instance }: { signedIn: boolean; instance: string }) {
  const steps = [
    { title: 'Create an account and verify your email.', href: signedIn ? undefined : '/signup', action: 'Sign up' },
    { title: 'Provision an instance, scan the QR code with WhatsApp on your phone to pair it.', href: '/instances', action: 'Instances' },
    { title: 'Mint an API key. Plaintext is shown once — store it in your secrets manager.', href: '/keys', action: 'API keys' },
  ]
  return (
    <Section id="getting-started" title="Getting started">
      <p className="text-[15px] leading-relaxed text-slate-600">Three steps to send your first message:</p>
      <ol className="grid gap-3 sm:grid-cols-3">
        {steps.map((step, index) => (
          <li key={step.title} className="flex flex-col rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <div className="flex flex-1 gap-3 sm:flex-col">
              <span className="grid size-7 shrink-0 place-items-center rounded-full bg-brand-600 text-sm font-semibold text-white">{index + 1}</span>
              <p className="flex-1 text-sm leading-relaxed text-slate-700">{step.title}</p>
            </div>
            {step.href ? (
              <Link href={step.href} className="mt-3 pl-10 text-sm font-medium text-brand-700 hover:text-brand-900 sm:pl-0">
                {step.action} →
              </Link>
            ) : (
              <p className="mt-3 pl-10 text-sm font-medium text-slate-400 sm:pl-0">Done</p>
            )}
          </li>
        ))}
      </ol>
      <p className="text-[15px] leading-relaxed text-slate-600">
        Then use that key in the <Code>Authorization</Code> header on every API call, e.g. <a href="#send-text" className="font-medium text-brand-700 hover:underline">send a text</a> from{' '}
        <Code>{instance}</Code>.
      </p>
    </Section>
  )
}

export function Authentication({ apiKey }: { apiKey: string }) {
  return (
    <Section id="authentication" title="Authentication">
      <p className="text-[15px] leading-relaxed text-slate-600">
        All API calls under <Code>/api/v1/instance/{'{name}'}/*</Code> (and <Code>/api/v1/events</Code>, <Code>/api/v1/webhooks</Code>,{' '}
        <Code>/api/v1/instances</Code>, <Code>/api/v1/keys</Code>) require a SAGE-API key in the <Code>Authorization</Code> header as a Bearer token. The one exception is a
        browser opening the event stream, which cannot send that header: it uses a{' '}
        <a href="#event-log" className="font-medium text-brand-700 hover:underline">
          single-use ticket
        </a>{' '}
        your server mints with its key.
      </p>
      <CodeTabs tabs={[{ id: 'auth', label: 'Header', code: `Authorization: Bearer ${apiKey}` }]} />
      <p className="text-[15px] leading-relaxed text-slate-600">
        Keys are scoped to your account and can call any of its instances, unless you pin a key to some of them. Revoke a key from the{' '}
        <Link href="/keys" className="font-medium text-brand-700 hover:underline">
          API keys page
        </Link>{' '}
        at any time. Each request is checked in this order:
      </p>
      <Table
        label="Key checks"
        head={['Check', 'Fails with']}
        rows={[
          ['Missing, malformed, unknown or revoked key', <Code key="c">401 unauthorized</Code>],
          ['Source IP outside the key’s CIDR allowlist', <Code key="c">403 ip_not_allowed</Code>],
          ['Per-key rate limit', <Code key="c">429 rate_limited</Code>],
          ['An instance key on an account-key route, or a pinned key on the webhook API', <Code key="c">403 insufficient_scope</Code>],
          ['No instance with that name in your account', <Code key="c">404 instance_not_found</Code>],
          ['Key pinned to other instances', <Code key="c">403 instance_not_allowed</Code>],
        ]}
      />
      <p className="text-[15px] leading-relaxed text-slate-600">
        A key has a scope. An <strong className="font-semibold text-slate-800">instance key</strong> (the default) calls the data plane of your instances
        and reads their <a href="#event-log" className="font-medium text-brand-700 hover:underline">event log</a>. An{' '}
        <strong className="font-semibold text-slate-800">account key</strong> may also{' '}
        <a href="#platform" className="font-medium text-brand-700 hover:underline">create, pair and delete instances and mint their instance keys</a>. Account
        keys are minted only in the dashboard (or with <Code>sage key:create --scope account</Code>), never through the API.
      </p>
      <p className="text-[15px] leading-relaxed text-slate-600">
        <a href="#webhooks" className="font-medium text-brand-700 hover:underline">Webhook endpoints</a> are managed with an account key or with an instance key that
        is not pinned to instances, as every key could before scopes existed: such a key already reads all of your instances&apos; events. A key pinned to some
        instances gets <Code>403 insufficient_scope</Code> there, because an endpoint may receive every instance&apos;s events.
      </p>
      <p className="text-[15px] leading-relaxed text-slate-600">
        The <a href="#account" className="font-medium text-brand-700 hover:underline">instance management</a> endpoints under <Code>/api/v1/me</Code> use your
        dashboard session cookie instead, not an API key.
      </p>
    </Section>
  )
}

export function RateLimits() {
  return (
    <Section id="rate-limits" title="Rate limits">
      <p className="text-[15px] leading-relaxed text-slate-600">
        Every authed call against <Code>/api/v1/instance/{'{name}'}/*</Code> goes through a per-key sliding-window rate limit. The default cap is{' '}
        <strong className="font-semibold text-slate-800">60 requests / minute / API key</strong>. You can lower it when minting a key (Advanced → Rate limit) or edit it
        later.
      </p>
      <p className="text-[15px] leading-relaxed text-slate-600">Every response carries the current limit state in headers, so you don’t have to guess:</p>
      <CodeTabs tabs={[{ id: 'headers', label: 'Headers', code: 'X-RateLimit-Limit: 60\nX-RateLimit-Remaining: 47\nRetry-After: 24 # only on 429 responses' }]} />
      <p className="text-[15px] leading-relaxed text-slate-600">When the bucket empties you get a 429:</p>
      <CodeTabs
        tabs={[
          {
            id: '429',
            label: '429 Too Many Requests',
            code: `HTTP/1.1 429 Too Many Requests\nRetry-After: 24\nX-RateLimit-Limit: 60\nX-RateLimit-Remaining: 0\n\n{ "error": "rate_limited", "message": "${ERROR_CODES.rate_limited.message}", "requestId": "req_9cQ2mYbXw1fT7uLk" }`,
          },
        ]}
      />
      <p className="text-[15px] leading-relaxed text-slate-600">
        Need a higher cap or per-instance scope? Edit the key on the{' '}
        <Link href="/keys" className="font-medium text-brand-700 hover:underline">
          API keys page
        </Link>{' '}
        — you can pin a key to specific instances, raise / lower its rate limit, and / or restrict it to a CIDR allowlist of source IPs (only requests from those IPs
        validate).
      </p>
    </Section>
  )
}

export function Idempotency({ baseUrl, instance, apiKey, number }: { baseUrl: string; instance: string; apiKey: string; number: string }) {
  return (
    <Section id="idempotency" title="Idempotency">
      <p className="text-[15px] leading-relaxed text-slate-600">
        Networks fail after a request left: send an <Code>Idempotency-Key</Code> header (any unique string up to 255 characters, such as your order id) on every POST,
        and retry with the same key. Within 24 hours, the same key with the same body answers with the first response — marked{' '}
        <Code>Idempotent-Replayed: true</Code> — and sends nothing again. The same key with a different body is refused with{' '}
        <Code>409 idempotency_conflict</Code>.
      </p>
      <CodeTabs
        tabs={[
          {
            id: 'curl',
            label: 'curl',
            code: `curl -X POST '${baseUrl}/api/v1/instance/${instance}/message/sendText' \\\n  -H 'Authorization: Bearer ${apiKey}' \\\n  -H 'Idempotency-Key: order-4711-confirmation' \\\n  -H 'Content-Type: application/json' \\\n  -d '{"number":"${number}","text":"Your order 4711 is confirmed."}'`,
          },
        ]}
      />
      <p className="text-[15px] leading-relaxed text-slate-600">
        A send answers <Code>201</Code> once WhatsApp accepted the message. If the worker does not answer in time you get <Code>504 timeout</Code>, and{' '}
        <Code>details.willBeSent</Code> says what happens next: <Code>true</Code> — the message is on its way and will go out exactly once (follow it with{' '}
        <a href="#get-message" className="font-medium text-brand-700 hover:underline">
          GET messages/{'{id}'}
        </a>{' '}
        using <Code>details.messageId</Code>; a retry with the same key replays this answer); <Code>false</Code> — it was cancelled and will not be sent, so retrying
        is safe.
      </p>
    </Section>
  )
}

/** "Keeping your number safe": the send policy and its defaults (on), and auto-pause with its signals and thresholds. */
export function KeepingYourNumberSafe({ baseUrl, instance, apiKey }: { baseUrl: string; instance: string; apiKey: string }) {
  const recommended = JSON.stringify({ sendPolicy: { quietHours: RECOMMENDED_POLICY.quietHours, timeZone: 'Asia/Kolkata' } })
  const off = (value: unknown) => (value === null ? 'null' : String(value))
  return (
    <Section id="keeping-your-number-safe" title="Keeping your number safe">
      <p className="text-[15px] leading-relaxed text-slate-600">
        WhatsApp bans numbers that behave like spam bots: messages fired back to back, many first messages to strangers, a brand-new number sending hundreds
        on its first day, messages at 3 am. Each instance has a <strong>send policy</strong> that paces its sends for you, <strong>on by default</strong>: a
        new instance waits 3–5 s between sends, shows “typing…”, and opens at most 20 new chats a day, fewer while the number is new to sending. Change it
        with{' '}
        <a href="#settings-set" className="font-medium text-brand-700 hover:underline">
          settings/set
        </a>{' '}
        (<Code>sendPolicy</Code>, fields left out keep their values) or on the instance page of the dashboard. Give quiet hours with your time zone; they
        are off until you do.
      </p>
      <Table
        label="Send policy"
        head={['Field', 'Default', 'Off', 'What it does']}
        rows={[
          [<Code key="f">minGapMs</Code>, String(DEFAULT_POLICY.minGapMs), off(POLICY_OFF.minGapMs), 'Least time between two sends of the instance, in order.'],
          [<Code key="f">jitterMs</Code>, String(DEFAULT_POLICY.jitterMs), off(POLICY_OFF.jitterMs), 'A random 0…jitterMs added to every gap, so the rhythm is not machine-regular.'],
          [<Code key="f">typingMsPerChar</Code>, String(DEFAULT_POLICY.typingMsPerChar), off(POLICY_OFF.typingMsPerChar), '“typing…” shown before a text in proportion to its length (at most 10 s).'],
          [<Code key="f">newChatsPerDay</Code>, String(DEFAULT_POLICY.newChatsPerDay), 'null (no cap)', 'First messages per day to people who never wrote to this number; the next one waits for the next day.'],
          [<Code key="f">warmUp</Code>, String(DEFAULT_POLICY.warmUp), off(POLICY_OFF.warmUp), `A number new to sending starts low: ${WARM_UP_CAPS.join(', ')} new chats on its first days, then newChatsPerDay.`],
          [<Code key="f">quietHours</Code>, 'null', 'null', `No sends in these hours; sends wait until they end. We suggest ${RECOMMENDED_POLICY.quietHours!.from}–${RECOMMENDED_POLICY.quietHours!.to} in your time zone.`],
          [<Code key="f">timeZone</Code>, DEFAULT_POLICY.timeZone, DEFAULT_POLICY.timeZone, 'The IANA time zone of the quiet hours and of the cap’s days.'],
        ]}
      />
      <CodeTabs
        tabs={[
          {
            id: 'curl',
            label: 'curl',
            code: `curl -X POST '${baseUrl}/api/v1/instance/${instance}/settings/set' \\\n  -H 'Authorization: Bearer ${apiKey}' \\\n  -H 'Content-Type: application/json' \\\n  -d '${recommended}'`,
          },
        ]}
      />
      <p className="text-[15px] leading-relaxed text-slate-600">
        Nothing is dropped. A send the policy holds is answered at once with <Code>201</Code>, <Code>status: QUEUED_BY_POLICY</Code>, <Code>plannedAt</Code> (when
        it goes out) and <Code>policyReason</Code> (<Code>gap</Code>, <Code>quiet_hours</Code>, <Code>new_chat_cap</Code> or <Code>paused</Code>);
        SEND_MESSAGE_UPDATE says the same, then <Code>SERVER_ACK</Code> when it goes. Sends go out in the order you made them. A send with{' '}
        <Code>{'"priority": "transactional"'}</Code> (a login code, a receipt someone is waiting for) skips the gap, the quiet hours and the hold of the cap,
        but still counts toward the cap. Scheduled sends (<Code>sendAt</Code>) meet the policy at their time.
      </p>
      <h3 id="auto-pause" className="pt-2 text-base font-semibold text-slate-900">
        Auto-pause
      </h3>
      <p className="text-[15px] leading-relaxed text-slate-600">
        When WhatsApp signals trouble the instance stops sending by itself, before the trouble becomes a ban. Its <Code>statusCode</Code> turns{' '}
        <Code>send_paused</Code> (still connected: messages keep arriving) or <Code>banned</Code>, an <Code>INSTANCE_HEALTH</Code> event says why, and sends wait
        as <Code>QUEUED_BY_POLICY</Code> with <Code>policyReason: paused</Code> and no <Code>plannedAt</Code>. Once you have looked into it, resume with{' '}
        <a href="#resume" className="font-medium text-brand-700 hover:underline">
          POST resume
        </a>{' '}
        or the Resume button on the instance page: the held messages go out, paced as usual.
      </p>
      <Table
        label="Auto-pause signals"
        head={['Reason', 'What WhatsApp did', 'Pauses when']}
        rows={[
          [<Code key="r">rate_overlimit</Code>, 'Answered a query a send makes (device list, number check, keys) with 429 rate-overlimit', 'The first one: retrying is what WhatsApp counts. The send is held, not failed'],
          [<Code key="r">sends_refused</Code>, 'Acknowledged sends with an error (e.g. 463, account restricted)', `${REFUSED_SENDS_PAUSE_AFTER} within ${REFUSED_WINDOW_MS / 60_000} minutes`],
          [
            <Code key="r">undelivered</Code>,
            'Left sends at one tick (recipients blocked the number, or it writes to numbers nobody uses)',
            `${UNDELIVERED_PAUSE_SHARE * 100}% or more of the last day’s sends (at least ${UNDELIVERED_MIN_SENDS}, sent over ${UNDELIVERED_GRACE_MS / 60_000} minutes ago, since the last resume)`,
          ],
          [<Code key="r">temp_banned</Code>, 'Refused the login with 402, a temporary ban', 'At once; the instance reconnects when the ban ends, still paused'],
          [<Code key="r">forbidden</Code>, 'Refused the login with 403, as it does for banned numbers', 'At once; the instance stops until you resume'],
        ]}
      />
    </Section>
  )
}

export function MessageStatuses() {
  const statuses: [string, string][] = [
    ['SCHEDULED', 'Sent with sendAt: waits for its time (GET chat/scheduled lists it)'],
    ['PENDING', 'Accepted, not yet sent (e.g. waiting for its delay)'],
    ['QUEUED_BY_POLICY', 'Held by the send policy until plannedAt (see Keeping your number safe)'],
    ['SERVER_ACK', 'WhatsApp’s server has it (one grey tick)'],
    ['DELIVERY_ACK', 'Delivered to the recipient’s phone (two grey ticks)'],
    ['READ', 'Read (two blue ticks)'],
    ['PLAYED', 'A voice note or video was played'],
    ['ERROR', 'It failed; GET messages/{id} says why'],
    ['CANCELLED', 'A scheduled send called off with DELETE messages/{id} before its time'],
  ]
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4">
      <h3 className="text-sm font-semibold text-slate-900">Message status</h3>
      <p className="mt-1 text-sm text-slate-600">In order; a message only moves forward. Changes arrive as SEND_MESSAGE_UPDATE and MESSAGES_UPDATE webhooks.</p>
      <dl className="mt-3 grid gap-x-4 gap-y-1.5 text-sm sm:grid-cols-[auto_1fr]">
        {statuses.map(([status, meaning]) => (
          <div key={status} className="contents">
            <dt className="font-mono text-[13px] font-semibold text-slate-800">{status}</dt>
            <dd className="mb-1.5 text-slate-600 sm:mb-0">{meaning}</dd>
          </div>
        ))}
      </dl>
    </div>
  )
}

export function Webhooks({ instance }: { instance: string }) {
  const example = webhookPayloadExample('MESSAGES_UPSERT', instance)
  const envelopeRows = fieldRows(jsonSchemaOf(WEBHOOK_EVENT_DATA.MESSAGES_UPSERT.schema, 'output'))
  return (
    <Section id="webhooks" title="Webhooks (receive events)">
      <p className="text-[15px] leading-relaxed text-slate-600">
        Configure a webhook URL on the{' '}
        <Link href="/webhooks" className="font-medium text-brand-700 hover:underline">
          Webhooks page
        </Link>{' '}
        (or <a href="#create-webhook" className="font-medium text-brand-700 hover:underline">over the API</a>) and SAGE-API will POST events to it as JSON. Events
        include incoming messages, message-status updates, connection state, and group changes. You can subscribe to a subset of event types. The most common ones are{' '}
        <Code>MESSAGES_UPSERT</Code>, <Code>CONNECTION_UPDATE</Code>, and <Code>SEND_MESSAGE_UPDATE</Code>.
      </p>
      <Table
        label="Webhook events"
        head={['Event', 'When']}
        rows={WEBHOOK_EVENT_NAMES.map((event) => [
          <code key="e" className="font-mono text-[13px] font-semibold text-slate-800">
            {event}
          </code>,
          WEBHOOK_EVENT_DATA[event].description,
        ])}
      />
      <div>
        <h3 className="mb-2 text-base font-semibold text-slate-900">Example payload (incoming message)</h3>
        <CodeTabs tabs={[{ id: 'payload', label: 'POST body', code: JSON.stringify(example, null, 2) }]} />
        <p className="mt-3 text-sm leading-relaxed text-slate-600">
          Every payload is <Code>{'{event, instance, data, id, timestamp}'}</Code>. <Code>id</Code> is unique per event: delivery is at least once, so de-duplicate on
          it. Received media adds <Code>data.media</Code> with a <Code>url</Code> to download the decrypted file with your key. A message WhatsApp delivers
          undecryptable is announced once: with its content when the sender resends it (usually within seconds), or after a minute with{' '}
          <Code>messageType: &quot;undecryptable&quot;</Code> and an empty <Code>message</Code>. <Code>data</Code> of MESSAGES_UPSERT:
        </p>
        <ul className="mt-2 grid gap-1.5 text-sm sm:grid-cols-2">
          {envelopeRows
            .filter((row) => !row.name.includes('.'))
            .map((row) => (
              <li key={row.name} className="text-slate-600">
                <code className="font-mono text-[13px] font-semibold text-slate-800">{row.name}</code>{' '}
                <span className="font-mono text-xs text-slate-400">{row.type}</span>
                {row.description && <> — {row.description}</>}
              </li>
            ))}
        </ul>
      </div>
      <div>
        <h3 className="mb-2 text-base font-semibold text-slate-900">Delivery and retries</h3>
        <p className="text-[15px] leading-relaxed text-slate-600">
          Answer with any 2xx within 15 seconds. Anything else is retried with growing delays for about a day (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), every attempt
          logged on the Webhooks page, where you can also resend any delivery or send a test event. An endpoint that keeps failing for days is disabled and you get an
          email.
        </p>
      </div>
      <div id="webhook-signatures" className="scroll-mt-24">
        <h3 className="mb-2 text-base font-semibold text-slate-900">Verifying webhook signatures</h3>
        <p className="text-[15px] leading-relaxed text-slate-600">
          Every outbound delivery from SAGE-API carries an HMAC signature so you can confirm the request came from us and wasn’t replayed. Headers on every POST:
        </p>
        <div className="mt-3">
          <Table
            label="Webhook headers"
            head={['Header', 'Value']}
            rows={WEBHOOK_HEADERS.map((header) => [
              <code key="h" className="whitespace-nowrap font-mono text-[13px] font-semibold text-slate-800">
                {header.name}
              </code>,
              <span key="v">
                <code className="font-mono text-[13px] text-slate-700">{header.example}</code>
                <span className="mt-0.5 block text-xs text-slate-500">{header.description}</span>
              </span>,
            ])}
          />
        </div>
        <Prose
          className="mt-4"
          text={'The signature is `HMAC-SHA256(secret, "{timestamp}.{raw_body}")`. Including the timestamp prevents replay; we recommend a 5-minute drift window.'}
        />
        <div className="mt-4">
          <CodeTabs
            ariaLabel="Signature verification"
            tabs={[
              { id: 'node', label: 'Node 18+', code: VERIFY_NODE },
              { id: 'python', label: 'Python 3.10+', code: VERIFY_PYTHON },
            ]}
          />
        </div>
        <p className="mt-3 text-sm leading-relaxed text-slate-600">
          After you rotate a secret, the previous one keeps signing for 24 hours in <Code>X-Sage-Signature-Previous</Code>, so you can roll over without dropping
          events.
        </p>
      </div>
    </Section>
  )
}

export function Errors() {
  const example = {
    error: 'invalid_request',
    message: 'The request body failed validation; see details.',
    details: [{ field: 'number', message: 'Country code and number, digits only, 10–15 digits' }],
    requestId: 'req_9cQ2mYbXw1fT7uLk',
  }
  return (
    <Section id="errors" title="Errors">
      <p className="text-[15px] leading-relaxed text-slate-600">
        All errors come back as JSON with an <Code>error</Code> field and an HTTP status code — on every route, unknown routes and malformed JSON included. A human{' '}
        <Code>message</Code> explains it, <Code>details</Code> lists each invalid field, and <Code>requestId</Code> (also the <Code>X-Request-Id</Code> header of
        every response) identifies the request when you contact support.
      </p>
      <CodeTabs tabs={[{ id: 'e', label: '400 Bad Request', code: JSON.stringify(example, null, 2) }]} />
      <Table
        label="Error codes"
        head={['Status', 'error', 'Meaning']}
        rows={Object.entries(ERROR_CODES).map(([code, { status, message }]) => [
          <span key="s" className="font-mono text-[13px] font-semibold text-slate-500">
            {status}
          </span>,
          <code key="c" className="whitespace-nowrap font-mono text-[13px] font-semibold text-slate-800">
            {code}
          </code>,
          message,
        ])}
      />
    </Section>
  )
}

/** "Test your integration in CI": sandbox instances, from a test's point of view. */
export function TestInCi({ baseUrl, apiKey }: { baseUrl: string; apiKey: string }) {
  const api = `${baseUrl}/api/v1`
  const steps = `# 1. A sandbox instance (an account key), linked at once: its phone links itself, no QR to scan.
curl -X POST '${api}/instances' -H 'Authorization: Bearer ${apiKey}' \\
  -H 'Content-Type: application/json' -d '{"instanceName":"ci-run-42","sandbox":true,"qrcode":true}'
# 2. A contact, then a message from it: your webhook gets MESSAGES_UPSERT with "sandbox": true.
curl -X POST '${api}/instance/ci-run-42/sandbox/contacts' -H 'Authorization: Bearer ${apiKey}' \\
  -H 'Content-Type: application/json' -d '{"contacts":[{"number":"15550000001","name":"Alice"}]}'
curl -X POST '${api}/instance/ci-run-42/sandbox/receive' -H 'Authorization: Bearer ${apiKey}' \\
  -H 'Content-Type: application/json' -d '{"from":"15550000001","text":"Is my order ready?"}'
# 3. Your code replies with the normal API; the test decides when Alice reads it.
curl -X POST '${api}/instance/ci-run-42/sandbox/receipts' -H 'Authorization: Bearer ${apiKey}' \\
  -H 'Content-Type: application/json' -d '{"from":"15550000001","ids":["<key.id of the reply>"],"type":"read"}'
# 4. Alice votes on a poll your code sent her (message/sendPoll): MESSAGES_UPDATE with pollVote.
curl -X POST '${api}/instance/ci-run-42/sandbox/receive' -H 'Authorization: Bearer ${apiKey}' \\
  -H 'Content-Type: application/json' -d '{"from":"15550000001","vote":{"messageId":"<key.id of the poll>","options":["Delivery"]}}'
# 5. WhatsApp drops the connection: CONNECTION_UPDATE connecting, then open again.
#    "logged_out": the phone removes the device (state close, statusCode logged_out; GET …/connect links again).
#    "banned" with "banSeconds": logins refused with 402 until the ban ends.
curl -X POST '${api}/instance/ci-run-42/sandbox/disconnect' -H 'Authorization: Bearer ${apiKey}' \\
  -H 'Content-Type: application/json' -d '{"reason":"connection_lost"}'
# 6. Clean up.
curl -X DELETE '${api}/instances/ci-run-42' -H 'Authorization: Bearer ${apiKey}'`
  return (
    <Section id="test-in-ci" title="Test your integration in CI">
      <p className="text-[15px] leading-relaxed text-slate-600">
        A <strong>sandbox instance</strong> behaves like a real one — the same worker, the same WhatsApp protocol, sends, receipts, media, groups and webhooks — but
        it is connected to a simulated WhatsApp that belongs to your account alone, never to WhatsApp. No phone, no real contacts, no risk to a number. Create it with{' '}
        <Code>sandbox: true</Code> (API) or the Sandbox option of the dashboard&apos;s create form; it shows <Code>sandbox: true</Code> in the API, a Sandbox badge in
        the dashboard, and its webhooks carry <Code>&quot;sandbox&quot;: true</Code> next to <Code>instance</Code>.
      </p>
      <p className="text-[15px] leading-relaxed text-slate-600">
        Your test plays the other side with the{' '}
        <a href="#sandbox" className="font-medium text-brand-700 hover:underline">
          sandbox endpoints
        </a>
        , with the same keys: contacts (some without WhatsApp, some LID-addressed), messages they send (text, media, location, reactions, edits, deletions, poll votes),
        receipts, calls, lost connections, logouts from the phone and temporary bans. Contacts are phones of your account&apos;s world only: another account with the same numbers sees nothing of yours. On real
        instances these endpoints answer <Code>404 not_found</Code>.
      </p>
      <CodeTabs tabs={[{ id: 'curl', label: 'curl', code: steps }]} />
      <p className="text-[15px] leading-relaxed text-slate-600">
        Limits (<Code>429 rate_limited</Code>, with <Code>details.limit</Code> and <Code>details.max</Code>): <Code>sandbox_instances</Code> — 5 sandbox instances per
        account; <Code>sandbox_messages_per_minute</Code> — 60 messages a minute per sandbox instance, sent and received together (with <Code>Retry-After</Code>);{' '}
        <Code>sandbox_media_bytes</Code> — 5 MB per file a contact sends. Sandbox instances never use a proxy: their traffic stays on the server.
      </p>
      <p className="text-[15px] leading-relaxed text-slate-600">
        If the sandbox service itself is down (a deploy, a restart), every sandbox endpoint answers <Code>503 unavailable</Code> — retry it, as your test would retry
        any 503 — and sandbox instances show <Code>connecting</Code> until it is back. A CI run of the steps above (create, link, a contact, an inbound message by
        webhook, a reply driven to READ, a dropped connection) takes well under 30 seconds.
      </p>
    </Section>
  )
}
