import type { z } from 'zod'
import { ApiError, type ErrorDetail } from './errors'

export function validationDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : '(body)',
    message: issue.message,
  }))
}

export function parseWith<T extends z.ZodType>(schema: T, input: unknown, where: 'body' | 'query'): z.infer<T> {
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
