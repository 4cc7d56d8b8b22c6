// scrypt from node:crypto for the Node runtime: it runs on libuv's thread pool, so hashing a
// password does not stall the event loop the way the pure-JS implementation does.
import { scrypt } from 'node:crypto'
import type { Scrypt } from './password'

export const nodeScrypt: Scrypt = (password, salt, { N, r, p, dkLen, maxmem }) =>
  new Promise((resolve, reject) => {
    scrypt(password, salt, dkLen, { N, r, p, maxmem }, (error, key) => {
      if (error) reject(error)
      else resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength))
    })
  })
