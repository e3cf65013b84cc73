// vitest glue for test-support/stack.ts: the stack a test file starts is stopped after the file.
import { afterAll } from 'vitest'
import { startStack as startProcesses, type Stack, type StackOptions } from '@/test-support/stack'

export type { Stack }

export async function startStack(options: StackOptions): Promise<Stack> {
  const stack = await startProcesses(options)
  afterAll(stack.stop)
  return stack
}
