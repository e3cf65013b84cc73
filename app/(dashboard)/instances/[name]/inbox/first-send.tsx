import Link from 'next/link'
import { EmptyState } from '@/components/dashboard/empty-state'
import { CodeBlock } from '@/components/ui/code-block'
import { ChatIcon } from '../page-icons'

/** An Inbox with no chat at all: how to send the first message, which then opens the first chat here. */
export function FirstSend({ name, apiBase }: { name: string; apiBase: string }) {
  const curl = `curl -X POST ${apiBase}/api/v1/instance/${name}/message/sendText \\
  -H "Authorization: Bearer $SAGE_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"number": "15550001234", "text": "Hello from SAGE-API"}'`
  return (
    <div className="rounded-xl bg-white px-5 py-10 shadow-xs ring-1 ring-slate-200 sm:px-8">
      <EmptyState icon={ChatIcon} title="No chats yet" heading="h3" framed={false}>
        Send your first message with the API. Its chat opens here with the delivery ticks, and so does every message this number receives.
      </EmptyState>
      <CodeBlock title="Send a text message" code={curl} label="curl example" className="mx-auto mt-5 max-w-2xl" />
      <p className="mt-3 text-center text-sm text-slate-500">
        No key yet?{' '}
        <Link href="/keys" className="font-semibold text-brand-700 hover:text-brand-900">
          Create an API key
        </Link>
      </p>
    </div>
  )
}
