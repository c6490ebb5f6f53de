export { createP2PHost, type P2PHost, type P2PHostInit, type P2PServices } from './host.js'
