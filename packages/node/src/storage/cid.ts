import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { BlobHashMismatchError, InvalidCidError } from './errors.js'

/**
 * The CID of a blob: CIDv1, raw codec, sha2-256, base32 (`bafkrei…`). The same CID Kubo gives with
 * `ipfs block put --cid-codec raw --mhtype sha2-256`.
 */
export async function cidForBytes(bytes: Uint8Array): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(bytes))
}

/**
 * Parses a blob CID string.
 *
 * @throws {@link InvalidCidError} unparsable, or not CIDv1 raw sha2-256
 */
export function parseBlobCid(cid: string): CID {
  if (typeof cid !== 'string') throw new InvalidCidError(String(cid as unknown), 'not a string')
  let parsed: CID
  try {
    parsed = CID.parse(cid)
  } catch (cause) {
    throw new InvalidCidError(cid, `unparsable (${String(cause)})`)
  }
  if (parsed.version !== 1) throw new InvalidCidError(cid, `CID version ${parsed.version}, expected 1`)
  if (parsed.code !== raw.code) throw new InvalidCidError(cid, `codec 0x${parsed.code.toString(16)}, expected raw (0x55)`)
  if (parsed.multihash.code !== sha256.code) throw new InvalidCidError(cid, `hash 0x${parsed.multihash.code.toString(16)}, expected sha2-256 (0x12)`)
  return parsed
}

/**
 * Checks that `bytes` hash to `cid`.
 *
 * @param source where the bytes came from (peer id, "local store", URL), named in the error
 * @throws {@link BlobHashMismatchError} naming the CID, the actual CID and the source
 */
export async function verifyBlob(cid: CID, bytes: Uint8Array, source: string): Promise<void> {
  const expected = cid.toString()
  const actual = (await cidForBytes(bytes)).toString()
  if (actual !== expected) throw new BlobHashMismatchError(expected, actual, source)
}
