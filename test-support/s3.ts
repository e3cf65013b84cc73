// A local S3-compatible store for tests and the bench: s3rver (npm) on a free port, behind a small
// proxy the test can turn into a bucket that refuses writes (403 AccessDenied), as a store with a
// revoked key or a full quota does.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import S3rver from 's3rver'

export type TestS3 = {
  bucket: string
  /** S3_BUCKET, S3_ENDPOINT, S3_REGION and the keys, for the stack and the CLI. */
  env: Record<string, string>
  /** Every object key under the prefix (the whole bucket when empty). */
  keys: (prefix?: string) => Promise<string[]>
  /** From now on, uploads are refused (403 AccessDenied) after `allowed` more of them; `false` lets every one through again. */
  refuseWrites: (refuse: boolean, allowed?: number) => void
  stop: () => Promise<void>
}

const ACCESS_DENIED = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>'

export async function startTestS3(bucket = 'sage-media'): Promise<TestS3> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'sage-s3-'))
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] })
  const { port: s3Port } = (await server.run()) as AddressInfo
  let refusing = false
  let allowedPuts = 0
  const proxy = http.createServer((request, response) => {
    if (refusing && request.method === 'PUT') {
      if (allowedPuts > 0) allowedPuts -= 1
      else {
        request.resume()
        response.writeHead(403, { 'content-type': 'application/xml' }).end(ACCESS_DENIED)
        return
      }
    }
    const upstream = http.request({ host: '127.0.0.1', port: s3Port, method: request.method, path: request.url, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(response)
    })
    upstream.on('error', () => response.destroy())
    request.pipe(upstream)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
  const env = { S3_BUCKET: bucket, S3_ENDPOINT: endpoint, S3_REGION: 'us-east-1', S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' }
  // Straight to s3rver: listing works whatever the proxy is told to refuse.
  const client = new S3Client({ endpoint: `http://127.0.0.1:${s3Port}`, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } })
  return {
    bucket,
    env,
    keys: async (prefix = '') => {
      const found: string[] = []
      let token: string | undefined
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }))
        found.push(...(page.Contents ?? []).map((object) => object.Key!))
        token = page.NextContinuationToken
      } while (token)
      return found
    },
    refuseWrites: (refuse, allowed = 0) => {
      refusing = refuse
      allowedPuts = allowed
    },
    stop: async () => {
      client.destroy()
      await new Promise((resolve) => proxy.close(resolve))
      proxy.closeAllConnections()
      await server.close()
      await rm(directory, { recursive: true, force: true })
    },
  }
}
