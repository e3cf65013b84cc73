// Independent verifiers of SAGE-API webhook signatures, as a customer would write them: the Node
// and Python snippets the /docs page shows under "Signature verification" (VERIFY_NODE and
// VERIFY_PYTHON in lib/api/openapi/webhook-events.ts), copied here rather than imported, so the
// product's signing is checked by code it shares nothing with. The Node one is below, the Python
// one is run by python3 in a subprocess.
import crypto from 'node:crypto'
import { execFile } from 'node:child_process'
import path from 'node:path'

// ---- the /docs page's Node 18+ snippet, unchanged (types added) ----
export function verifySageWebhook(req: { headers: Record<string, string | string[] | undefined>; rawBody: string }, secret: string) {
  const ts = req.headers['x-sage-timestamp'] as string | undefined
  const sig = req.headers['x-sage-signature'] as string | undefined
  if (!ts || !sig?.startsWith('sha256=')) return false
  if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false // 5-min replay window
  const expected = crypto
    .createHmac('sha256', secret)
    .update(`${ts}.${req.rawBody}`) // raw body — NOT a JSON.parse round-trip
    .digest('hex')
  return crypto.timingSafeEqual(Buffer.from(sig.slice(7), 'hex'), Buffer.from(expected, 'hex'))
}
// ----

/**
 * The /docs page's Python 3.10+ function, run with python3 on the captured headers and raw body.
 * Asynchronous on purpose: tests run the webhook dispatcher in their own process, and a blocking
 * subprocess would hold its response handling past the webhook timeout and cause a spurious retry.
 */
export async function verifySageWebhookInPython(headers: Record<string, string | string[] | undefined>, rawBody: string, secret: string): Promise<boolean> {
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = execFile('python3', [path.join(import.meta.dirname, 'verify_sage_webhook.py')], { encoding: 'utf8' }, (error, out, stderr) =>
      error ? reject(new Error(`python3 verifier failed: ${stderr || error.message}`)) : resolve(out),
    )
    child.stdin!.end(JSON.stringify({ headers, raw_body: Buffer.from(rawBody).toString('base64'), secret }))
  })
  const answer = stdout.trim()
  if (answer !== 'True' && answer !== 'False') throw new Error(`python3 verifier printed ${answer}`)
  return answer === 'True'
}

/** Node's timingSafeEqual throws on length mismatch; a receiver would treat that as "invalid". */
export function verifiesInNode(req: { headers: Record<string, string | string[] | undefined>; rawBody: string }, secret: string): boolean {
  try {
    return verifySageWebhook(req, secret)
  } catch {
    return false
  }
}
