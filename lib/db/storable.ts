/**
 * Postgres text and JSON cannot hold U+0000, and what WhatsApp, a webhook receiver or a phone's
 * contact list sends us may: one NUL in a contact's message failed every retry of its write, so the
 * instance stopped receiving; one in a receiver's answer failed a whole batch of webhook outcomes.
 * So the client writes every text and JSON parameter with U+0000 as U+FFFD (the replacement
 * character, as for undecodable bytes), and so a lone surrogate in JSON (a text parameter's UTF-8
 * encoding already turns one into U+FFFD). API input with a NUL is still refused by its schema, with a
 * field-level error, before it gets here.
 */
const NUL = '\u0000'
/**
 * A JSON-escaped NUL or lone surrogate (JSON.stringify escapes only unpaired ones; jsonb refuses them
 * too), not itself an escaped backslash followed by "u…".
 */
const UNSTORABLE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/g

export function storableText(value: unknown): string {
  const text = '' + value
  return text.includes(NUL) ? text.replaceAll(NUL, '\uFFFD') : text
}

export function storableJson(value: unknown): string {
  const text = JSON.stringify(value)
  return text.includes('\\u') ? text.replace(UNSTORABLE_ESCAPE, '$1\\ufffd') : text
}

/** postgres.js `types`: serializers by the parameter's type as Postgres describes it (text, json, jsonb); parsing unchanged. */
export const storableTypes = {
  // No `from`: text columns are read as postgres.js reads them by default.
  text: { to: 25, from: [] as number[], serialize: storableText, parse: (text: string) => text },
  json: { to: 114, from: [114, 3802], serialize: storableJson, parse: (text: string) => JSON.parse(text) },
}
