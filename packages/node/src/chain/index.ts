export { connectRpc, isTransientRpcError, type ConnectRpcParameters } from './provider.js'
export { RpcUnreachableError, TransactionFailedError } from './errors.js'
export { sendAndWait, type SendAndWaitParameters } from './send.js'
export { withRetry, type RetryOptions } from './retry.js'
