// autocannon ships no types; only what the benchmarks use.
declare module 'autocannon' {
  namespace autocannon {
    type Request = { method?: string; path?: string; headers?: Record<string, string>; body?: string; setupRequest?: (request: Request, context: Record<string, unknown>) => Request }
    type Histogram = { average: number; mean: number; p50: number; p90: number; p99: number; max: number; total: number }
    type Result = { requests: Histogram; latency: Histogram; throughput: Histogram; errors: number; timeouts: number; non2xx: number; duration: number; '2xx': number }
    type Options = {
      url: string
      connections?: number
      duration?: number
      amount?: number
      method?: string
      headers?: Record<string, string>
      body?: string
      requests?: Request[]
      timeout?: number
    }
  }
  function autocannon(options: autocannon.Options): Promise<autocannon.Result>
  export default autocannon
}
