import { describe, expect, it } from 'vitest'
import {
  EnvelopeContextMismatchError,
  EnvelopeTamperedError,
  EnvelopeTruncatedError,
  EnvelopeVersionError,
  EnvelopeWrongRecipientError,
  KeyFileInsecureError,
  KeyPasswordMissingError,
} from '../../src/crypto/index.js'
import { BlobHashMismatchError, BlobStoreUnreachableError, InvalidCidError } from '../../src/storage/index.js'
import { PeerDialError } from '../../src/p2p/index.js'

// Messages are part of the interface the CLI prints; pin them.
describe('error messages', () => {
  it('name the problem and the fix', () => {
    const cases: Array<[Error & { code: string; hint?: string | undefined; shortMessage: string }, string, string, string | undefined]> = [
      [new EnvelopeWrongRecipientError('ab'.repeat(32), 3), 'ENVELOPE_WRONG_RECIPIENT', 'the envelope is not addressed to encryption key abababababababab…', 'only the round committee can decrypt an update; check that this node is on the committee and uses the key it registered on chain'],
      [new EnvelopeTamperedError('payload'), 'ENVELOPE_TAMPERED', 'the envelope failed authentication (payload): it was modified or is not for this task, round and sender', 'discard the update and report the sender; a correct update decrypts with the task, round and sender it was sealed for'],
      [new EnvelopeContextMismatchError('round', '4', '3'), 'ENVELOPE_CONTEXT_MISMATCH', 'the envelope was sealed for round 3, expected 4', 'an update replayed from another round, task or sender is rejected; fetch the CID announced for this round'],
      [new EnvelopeTruncatedError(200, 150), 'ENVELOPE_TRUNCATED', 'the envelope is truncated: 150 bytes, its header needs 200', 'fetch the blob again; a blob store checks the CID, so a truncated envelope was truncated before it was stored'],
      [new EnvelopeVersionError(2, 1), 'ENVELOPE_UNKNOWN_VERSION', 'unknown envelope version 2 (suite 1); this node reads version 1, suite 1', 'upgrade the node; every hospital of a task must run a release that reads the same envelope version'],
      [new KeyPasswordMissingError('FEDCHAIN_KEY_PASSWORD'), 'KEY_PASSWORD_MISSING', 'no key password: environment variable FEDCHAIN_KEY_PASSWORD is unset or empty', 'export FEDCHAIN_KEY_PASSWORD=<password> before running the command'],
      [new KeyFileInsecureError('/d/keys/x25519.json', 0o100644), 'KEY_FILE_INSECURE', 'key file /d/keys/x25519.json has permissions 644; it must be readable by its owner only', 'run: chmod 600 /d/keys/x25519.json'],
      [new BlobHashMismatchError('bafkreiaaa', 'bafkreibbb', 'peer 12D3KooX'), 'BLOB_HASH_MISMATCH', 'blob bafkreiaaa from peer 12D3KooX does not match its CID (its bytes hash to bafkreibbb)', 'the blob was corrupted or forged; it was discarded. Report the source; the blob is fetched again from another peer'],
      [new InvalidCidError('Qm123', 'CID version 0, expected 1'), 'BLOB_CID_INVALID', '"Qm123" is not a blob CID: CID version 0, expected 1', 'blob CIDs are CIDv1 raw sha2-256 (they start with "bafkrei"); use the CID returned by put()'],
      [new BlobStoreUnreachableError('http://127.0.0.1:5001', 'block/put'), 'BLOB_STORE_UNREACHABLE', 'IPFS RPC endpoint http://127.0.0.1:5001 is unreachable (block/put failed)', 'start the Kubo daemon (`ipfs daemon`) and check that its RPC API answers at http://127.0.0.1:5001 (`ipfs config Addresses.API` shows where Kubo listens), or give the node\'s --ipfs-api the right URL'],
      [new PeerDialError('/ip4/127.0.0.1/tcp/9'), 'P2P_DIAL_FAILED', 'could not connect to peer /ip4/127.0.0.1/tcp/9', 'check that the peer is running and listening on that address (its multiaddr must include /p2p/<peer id>), and that no firewall blocks the port'],
    ]
    for (const [error, code, shortMessage, hint] of cases) {
      expect(error.code).toBe(code)
      expect(error.shortMessage).toBe(shortMessage)
      expect(error.hint).toBe(hint)
      expect(error.message).toBe(hint === undefined ? shortMessage : `${shortMessage}\n${hint}`)
    }
  })
})
