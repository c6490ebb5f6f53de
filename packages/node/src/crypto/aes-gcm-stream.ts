import { createCipheriv, createDecipheriv } from 'node:crypto'
import { AES_CHUNK_BYTES, GCM_TAG_BYTES } from './constants.js'

/**
 * AES-256-GCM encryption of `plaintext` into `out` at `offset`, fed in {@link AES_CHUNK_BYTES}
 * slices (one `update()` over tens of MB is several times slower than 1 MiB slices).
 * Writes the ciphertext followed by the 16-byte tag; `out` must have room for both.
 */
export function sealInto(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, out: Uint8Array, offset: number): void {
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES })
  cipher.setAAD(aad)
  let at = offset
  for (let start = 0; start < plaintext.length; start += AES_CHUNK_BYTES) {
    const chunk = cipher.update(plaintext.subarray(start, Math.min(start + AES_CHUNK_BYTES, plaintext.length)))
    out.set(chunk, at)
    at += chunk.length
  }
  const rest = cipher.final()
  out.set(rest, at)
  at += rest.length
  out.set(cipher.getAuthTag(), at)
}

/**
 * AES-256-GCM decryption of `ciphertext` (tag excluded) into `into` (or a new buffer), chunked like
 * {@link sealInto}. Returns `undefined` when authentication fails; the partly written plaintext
 * is zeroed so unauthenticated bytes never leave this function.
 */
export function openChunked(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, into?: Uint8Array): Uint8Array | undefined {
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES })
  decipher.setAAD(aad)
  decipher.setAuthTag(tag)
  const out = into === undefined ? new Uint8Array(ciphertext.length) : into.subarray(0, ciphertext.length)
  let at = 0
  try {
    for (let start = 0; start < ciphertext.length; start += AES_CHUNK_BYTES) {
      const chunk = decipher.update(ciphertext.subarray(start, Math.min(start + AES_CHUNK_BYTES, ciphertext.length)))
      out.set(chunk, at)
      at += chunk.length
    }
    const rest = decipher.final()
    out.set(rest, at)
    return out
  } catch {
    out.fill(0)
    return undefined
  }
}

/** One-shot AES-256-GCM for small inputs (wrapped content keys, key files). Output: ciphertext ‖ tag. */
export function sealSmall(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const out = new Uint8Array(plaintext.length + GCM_TAG_BYTES)
  sealInto(key, iv, aad, plaintext, out, 0)
  return out
}

/** Inverse of {@link sealSmall}; `undefined` when authentication fails. */
export function openSmall(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | undefined {
  if (sealed.length < GCM_TAG_BYTES) return undefined
  const cut = sealed.length - GCM_TAG_BYTES
  return openChunked(key, iv, aad, sealed.subarray(0, cut), sealed.subarray(cut))
}
