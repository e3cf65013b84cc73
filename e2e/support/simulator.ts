// vitest glue for test-support/simulator.ts: the simulator a test file starts is stopped after the file.
import { afterAll } from 'vitest'
import { startTestSimulator as startInProcess, type TestSimulator } from '@/test-support/simulator'

export type { TestSimulator }

export async function startTestSimulator(options: { port?: number; dataDir?: string } = {}): Promise<TestSimulator> {
  const sim = await startInProcess(options)
  afterAll(sim.stop)
  return sim
}
