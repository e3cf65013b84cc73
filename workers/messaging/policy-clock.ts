// The clock the send policy plans with (days of the new-chat cap, quiet hours, planned times).
import fs from 'node:fs'

/**
 * Date.now, or, in tests against the simulator, Date.now plus the milliseconds written in
 * SAGE_TEST_CLOCK_FILE (read on every call, so a test can move it while the worker runs). The file
 * is ignored unless the worker trusts a configured WhatsApp root key (WA_ROOT_PUBLIC_KEY), which only
 * the simulator needs: a worker talking to WhatsApp itself always plans on the real clock.
 */
export function policyClock(settings: { SAGE_TEST_CLOCK_FILE?: string; WA_ROOT_PUBLIC_KEY?: string }): () => number {
  const file = settings.SAGE_TEST_CLOCK_FILE
  if (!file || !settings.WA_ROOT_PUBLIC_KEY) return Date.now
  return () => {
    let offset = 0
    try {
      offset = Number(fs.readFileSync(file, 'utf8').trim()) || 0
    } catch {
      // no file yet: no offset
    }
    return Date.now() + offset
  }
}
