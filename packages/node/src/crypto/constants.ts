/** First bytes of every encrypted update envelope: ASCII "FCHE" (fedchain hybrid encryption). */
export const ENVELOPE_MAGIC = Uint8Array.of(0x46, 0x43, 0x48, 0x45)

/** The only envelope layout this version writes and reads. */
export const ENVELOPE_VERSION = 1

/** Suite 1: X25519 + HKDF-SHA256 key wrapping, AES-256-GCM payload. */
export const ENVELOPE_SUITE_X25519_AES256GCM = 1

/** AES-256 key, bytes. */
export const CONTENT_KEY_BYTES = 32

/** AES-GCM nonce, bytes (the 96-bit size GCM is defined for). */
export const GCM_IV_BYTES = 12

/** AES-GCM tag, bytes (full 128-bit tag, never truncated). */
export const GCM_TAG_BYTES = 16

/** X25519 public or private key, bytes. */
export const X25519_KEY_BYTES = 32

/** Chain address, bytes. */
export const ADDRESS_BYTES = 20

/** Per recipient: public key 32 + wrap IV 12 + wrapped content key 32 + tag 16 = 92 bytes. */
export const RECIPIENT_ENTRY_BYTES = X25519_KEY_BYTES + GCM_IV_BYTES + CONTENT_KEY_BYTES + GCM_TAG_BYTES

/** Recipients per envelope: a committee is far smaller; the cap bounds header parsing. */
export const MAX_RECIPIENTS = 1024

/** Task id length in the header, UTF-8 bytes. */
export const MAX_TASK_ID_BYTES = 256

/** Largest payload an envelope may carry: 1 GiB (a model update is tens of MB at most). */
export const MAX_PAYLOAD_BYTES = 1 << 30

/**
 * Bytes fed to each AES-GCM `update()` call: 1 MiB. One call over a 64 MB buffer runs at
 * ≈ 0.5–0.85 GB/s on these machines, 1 MiB chunks at ≈ 5 GB/s (DESIGN.md §7).
 */
export const AES_CHUNK_BYTES = 1 << 20

/** HKDF `info` for key wrapping; versioned so a future suite never derives the same key. */
export const WRAP_HKDF_INFO = 'fedchain/envelope/v1/wrap-key'

/** Default scrypt cost for key files: 2^17, the keystore default of ethers and geth. */
export const DEFAULT_SCRYPT_N = 1 << 17

/** Environment variable read for the key password when the caller names none. */
export const DEFAULT_PASSWORD_ENV = 'FEDCHAIN_KEY_PASSWORD'

/** Directory under the data dir that holds the key files. */
export const KEYS_DIR = 'keys'

/** File names inside {@link KEYS_DIR}. */
export const KEY_FILES = {
  wallet: 'wallet.json',
  libp2p: 'libp2p-ed25519.json',
  encryption: 'x25519.json',
} as const
