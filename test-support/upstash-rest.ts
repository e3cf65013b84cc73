// A local stand-in for Upstash's REST API in front of the real Redis, so @upstash/ratelimit and
// @upstash/redis run unmodified in tests. Speaks POST / (one command), /pipeline and /multi-exec.
import http from 'node:http'
import { createHash, randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import type { AddressInfo } from 'node:net'

type Reply = string | number | null | Reply[]

// Stock Redis 7.0 rejects this flag; Upstash accepts it. The scripts behave the same without it.
const UNSUPPORTED_SHEBANG = /^#!lua flags=allow-key-locking\n/
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex')

function encode(reply: Reply): Reply {
  if (typeof reply === 'string') return reply === 'OK' ? reply : Buffer.from(reply).toString('base64')
  if (Array.isArray(reply)) return reply.map(encode)
  return reply
}

export async function startUpstashRestServer(redisUrl: string) {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
  await redis.connect()
  const token = randomBytes(16).toString('hex')
  const prefix = `test-${randomBytes(4).toString('hex')}:` // isolates parallel test files sharing one Redis
  const scriptsByOriginalHash = new Map<string, string>()

  const run = async (command: (string | number)[]): Promise<Reply> => {
    const [name, ...args] = command.map(String)
    const upper = name.toUpperCase()
    if (upper === 'EVAL' || upper === 'EVALSHA') {
      let script: string | undefined
      if (upper === 'EVAL') {
        script = args[0]
        scriptsByOriginalHash.set(sha1(script), script)
      } else {
        script = scriptsByOriginalHash.get(args[0])
        if (!script) throw new Error('NOSCRIPT No matching script. Please use EVAL.')
      }
      const keyCount = Number(args[1])
      const keys = args.slice(2, 2 + keyCount).map((key) => prefix + key)
      return (await redis.eval(script.replace(UNSUPPORTED_SHEBANG, '#!lua\n'), keyCount, ...keys, ...args.slice(2 + keyCount))) as Reply
    }
    if (upper === 'PING') return (await redis.ping()) as Reply
    // Plain key commands used by the rate limiter (GET, SET, DEL, ...): the first argument is the key.
    return (await redis.call(name, ...(args.length ? [prefix + args[0], ...args.slice(1)] : []))) as Reply
  }

  // Faults a test can switch on: an outage (every request fails like an unreachable host) and a slow Upstash.
  let down = false
  let delayMs = 0
  const handle = async (request: http.IncomingMessage, response: http.ServerResponse) => {
    if (down) return void request.socket.destroy()
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' })
      response.end(JSON.stringify(body))
    }
    if (request.headers.authorization !== `Bearer ${token}`) return reply(401, { error: 'Unauthorized' })
    const base64 = request.headers['upstash-encoding'] === 'base64'
    const shape = (result: Reply) => ({ result: base64 ? encode(result) : result })
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString() || 'null')
      if (request.url === '/pipeline' || request.url === '/multi-exec') {
        const results = []
        for (const command of body as (string | number)[][]) {
          try {
            results.push(shape(await run(command)))
          } catch (error) {
            results.push({ error: (error as Error).message })
          }
        }
        return reply(200, results)
      }
      return reply(200, shape(await run(body)))
    } catch (error) {
      return reply(400, { error: (error as Error).message })
    }
  }
  // A client that gave up on a slow answer (or a closed server) aborts the request mid-read.
  const server = http.createServer((request, response) => void handle(request, response).catch(() => response.destroy()))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    /** While down, every request's connection is dropped unanswered. */
    setDown: (value: boolean) => {
      down = value
    },
    /** Every answer waits this long first. */
    setDelayMs: (value: number) => {
      delayMs = value
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await redis.quit()
    },
  }
}

/** Redis for tests: REDIS_URL, else the local default. CI sets REDIS_URL and then Redis is required. */
export async function redisForTests(): Promise<string | undefined> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null })
  try {
    await probe.connect()
    await probe.ping()
    return url
  } catch (error) {
    if (process.env.REDIS_URL) throw new Error(`REDIS_URL is set but Redis is unreachable: ${(error as Error).message}`)
    return undefined
  } finally {
    probe.disconnect()
  }
}
