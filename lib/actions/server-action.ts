import 'server-only'
import { revalidatePath } from 'next/cache'
import { headers } from 'next/headers'
import { unstable_rethrow } from 'next/navigation'
import { z } from 'zod'
import { ApiError } from '@/lib/api/errors'
import { newRequestId } from '@/lib/api/handler'
import { parseWith } from '@/lib/api/validation'
import { requireUser, type SessionUser } from '@/lib/auth/session'
import { assertSameOriginWrite } from '@/lib/auth/session-auth'
import { log } from '@/lib/log'
import type { ActionState } from './action-state'
import { ActionRefusal, done, formInput, refusalState, refused, type RefusalWording } from './refusal'

type Options<TSchema extends z.ZodType, TAnonymous extends boolean> = {
  /** Validates what the page sent; a refusal names the fields (400 invalid_request details, shown per field). */
  input: TSchema
  /** The log-in and sign-up pages' actions; every other action needs a session and sends a visitor without one to log in. */
  anonymous?: TAnonymous
  /** How this action words a code where the service's message would be out of context (e.g. email_not_verified). */
  messages?: RefusalWording['messages']
  /** Errors other than ApiError that this action expects, worded for the form (undefined: not one of them). */
  explain?: (error: unknown) => string | undefined
  /** A page whose server-rendered data the action changes, rendered afresh after a success. */
  revalidate?: string
}

type Run<TSchema extends z.ZodType, TResult, TAnonymous extends boolean> = (args: {
  input: z.infer<TSchema>
  /** Who is acting. Services scope every statement by this account, so another account's row is simply not found. */
  user: TAnonymous extends true ? null : SessionUser
}) => Promise<TResult>

/**
 * The one wrapper of server actions, as apiRoute is for route handlers: refuses cross-site posts
 * (403, like the account plane), reads the session (none: to the log-in page and back), validates
 * the input with zod, runs, and turns refusals into the state the form shows, with what was typed.
 * Unknown errors are logged with a reference and never echoed. redirect() and notFound() pass through.
 */
function wrap<TSchema extends z.ZodType, TResult, TAnonymous extends boolean>(
  options: Options<TSchema, TAnonymous>,
  run: Run<TSchema, TResult, TAnonymous>,
) {
  const fields = options.input instanceof z.ZodObject ? Object.keys(options.input.shape) : []
  return async (raw: unknown): Promise<ActionState<TResult>> => {
    const request = await headers()
    try {
      assertSameOriginWrite(request)
      const user = options.anonymous ? null : await requireUser()
      const input = parseWith(options.input, raw, 'body')
      const value = await run({ input, user: user as TAnonymous extends true ? null : SessionUser })
      if (options.revalidate) revalidatePath(options.revalidate)
      return done(value)
    } catch (error) {
      unstable_rethrow(error)
      if (error instanceof ApiError) return refusalState(error, { fields, messages: options.messages }, raw)
      if (error instanceof ActionRefusal) return refused(error.message, raw)
      const explained = options.explain?.(error)
      if (explained) return refused(explained, raw)
      const reference = newRequestId()
      // Which action: Next.js names it by an id; the dashboard page it came from (set by proxy.ts). Not the
      // Referer: the reset page's URL carries its token.
      log.error({ err: error, reference, action: request.get('next-action'), page: request.get('x-sage-request-path') }, 'server action failed')
      return refused(`Something went wrong on our side. Try again in a moment (reference ${reference}).`, raw)
    }
  }
}

/** An action the page calls with a plain object: `const result = await saveThing({ id, … })`. */
export function serverAction<TSchema extends z.ZodType, TResult, TAnonymous extends boolean = false>(
  options: Options<TSchema, TAnonymous>,
  run: Run<TSchema, TResult, TAnonymous>,
): (input: z.input<TSchema>) => Promise<ActionState<TResult>> {
  const action = wrap(options, run)
  return async (input) => action(input)
}

/** A form's action: `<form action={it}>` alone, or through useActionState (which passes the previous state first). */
export type FormAction<TResult> = {
  /** As a plain `<form action>`, React drops the answer (redirects still happen). */
  (formData: FormData): Promise<void>
  (previous: ActionState<TResult>, formData: FormData): Promise<ActionState<TResult>>
}

/** A `<form action>`: the form's fields are the input (a repeated name is a list). */
export function formAction<TSchema extends z.ZodType, TResult, TAnonymous extends boolean = false>(
  options: Options<TSchema, TAnonymous>,
  run: Run<TSchema, TResult, TAnonymous>,
): FormAction<TResult> {
  const action = wrap(options, run)
  return (async (first: FormData | ActionState<TResult>, second?: FormData) =>
    action(formInput(first instanceof FormData ? first : second!))) as FormAction<TResult>
}

/** A checkbox group in a form: absent when none is ticked, one string for one, a list for several. */
export const checkedList = z.preprocess((value) => (value === undefined ? [] : ([] as unknown[]).concat(value)), z.array(z.string()))
