import type { z } from 'zod'
import { ApiError, type ErrorDetail } from './errors'

export function validationDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : '(body)',
    message: issue.message,
  }))
}

export const NUL_MESSAGE = 'must not contain a NUL character (\\u0000)'

export function containsNul(value: string): boolean {
  return value.includes('\u0000')
}

/**
 * Every string in an input, at any depth, object keys included, that holds a NUL character: Postgres
 * text cannot store one, and no field of ours means anything with it. Checked once for every input
 * (parseWith) rather than per field, so a new field or schema cannot forget it.
 */
export function nulDetails(input: unknown, path: string[] = []): ErrorDetail[] {
  const field = () => (path.length ? path.join('.') : '(body)')
  if (typeof input === 'string') return containsNul(input) ? [{ field: field(), message: NUL_MESSAGE }] : []
  if (Array.isArray(input)) return input.flatMap((item, index) => nulDetails(item, [...path, String(index)]))
  if (input === null || typeof input !== 'object') return []
  return Object.entries(input).flatMap(([key, value]) => {
    const name = containsNul(key) ? key.replaceAll('\u0000', '\\u0000') : key
    const own = containsNul(key) ? [{ field: [...path, name].join('.'), message: `The field name ${NUL_MESSAGE}` }] : []
    return [...own, ...nulDetails(value, [...path, name])]
  })
}

export function parseWith<T extends z.ZodType>(schema: T, input: unknown, where: 'body' | 'query'): z.infer<T> {
  const nul = nulDetails(input)
  if (nul.length > 0) throw new ApiError('invalid_request', `The request ${where} failed validation; see details.`, nul)
  const result = schema.safeParse(input)
  if (!result.success) {
    throw new ApiError('invalid_request', `The request ${where} failed validation; see details.`, validationDetails(result.error))
  }
  return result.data
}

export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declaredLength = Number(request.headers.get('content-length') ?? 0)
  if (declaredLength > maxBytes) throw new ApiError('payload_too_large', `The body is over ${maxBytes} bytes.`)
  const text = await request.text()
  if (Buffer.byteLength(text) > maxBytes) throw new ApiError('payload_too_large', `The body is over ${maxBytes} bytes.`)
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new ApiError('invalid_json', 'The request body is not valid JSON.')
  }
}
