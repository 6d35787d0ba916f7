// `GET /org/log[?heads=hex,…]` and `POST /org/log`: the org log over HTTP (bundles both ways).

import { fromHex } from '../../crypto/codec/bytes.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import type { OrgLogService } from './admission-gate.ts'
import type { SignalingConfig } from './config.ts'
import type { SignalingMetrics } from './metrics.ts'

const BUNDLE_TYPE = 'application/octet-stream'
const MAX_HEADS = 1024

function text(status: number, body: string): Response {
  return new Response(body + '\n', {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  })
}

/** Parses `heads=<hex>,<hex>` into lowercase hex strings of 32-byte hashes, or undefined. */
export function parseHeads(param: string | null): string[] | undefined {
  if (param === null || param === '') return []
  const heads = param.split(',')
  if (heads.length > MAX_HEADS) return undefined
  for (const h of heads) {
    if (!/^[0-9a-fA-F]{64}$/.test(h)) return undefined
    fromHex(h)
  }
  return heads.map((h) => h.toLowerCase())
}

/** Reads at most `limit` bytes of a request body; undefined when it is larger. */
async function readBody(request: Request, limit: number): Promise<Uint8Array | undefined> {
  if (!request.body) return new Uint8Array()
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of request.body) {
    size += chunk.length
    if (size > limit) return undefined
    chunks.push(chunk)
  }
  const out = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

export async function serveOrgLog(
  request: Request,
  url: URL,
  log: OrgLogService | undefined,
  config: SignalingConfig,
  metrics: SignalingMetrics,
): Promise<Response> {
  if (!log) return text(503, 'no org configured (set CONCH_ORG_ROOT)')
  if (request.method === 'GET' || request.method === 'HEAD') {
    const heads = parseHeads(url.searchParams.get('heads'))
    if (!heads) return text(400, 'heads must be comma-separated 64-char hex hashes')
    const bundle = log.bundleSince(heads)
    return new Response(request.method === 'HEAD' ? null : bundle as Uint8Array<ArrayBuffer>, {
      headers: {
        'content-type': BUNDLE_TYPE,
        'cache-control': 'no-store',
        'x-conch-heads': log.heads().join(','),
      },
    })
  }
  if (request.method !== 'POST') return text(405, 'method not allowed')
  const body = await readBody(request, config.limits.maxOrgLogBodyBytes)
  if (!body) {
    metrics.orgLogPostsRefused++
    return text(413, 'org log bundle too large')
  }
  try {
    const result = await log.acceptBundle(body)
    metrics.orgLogEntriesAccepted += result.count
    return new Response(JSON.stringify({ accepted: result.count, heads: result.heads }) + '\n', {
      headers: { 'content-type': 'application/json; charset=utf-8' },
    })
  } catch (e) {
    if (!isConchError(e)) throw e
    metrics.orgLogPostsRefused++
    const status = e.code === 'membership/bad-log' ? 422 : 400
    return text(status, `refused: ${e.code}: ${e.message}`)
  }
}
