// A ciphertext the recipient cannot decrypt, the way real ones fail: a Signal message whose MAC does not
// verify ("Bad MAC", the classic failure when the two sides' sessions went out of step). libsignal
// appends an 8-byte MAC to every WhisperMessage (node_modules/libsignal/src/session_cipher.js,
// `encrypt` and `verifyMAC`); a `pkmsg` wraps one in a PreKeyWhisperMessage. The receiver stores
// nothing when the MAC fails, so the sender's next copy (same session) decrypts.
/// <reference path="./libsignal-protobufs.d.ts" />
import protobufs from 'libsignal/src/protobufs.js'

type Encrypted = { type: 'pkmsg' | 'msg'; body: Buffer }

function flipLastByte(bytes: Uint8Array): Buffer {
  const copy = Buffer.from(bytes)
  copy[copy.length - 1] ^= 0xff
  return copy
}

export function unreadableCopy(encrypted: Encrypted): Encrypted {
  if (encrypted.type === 'msg') return { type: 'msg', body: flipLastByte(encrypted.body) }
  const [version] = encrypted.body
  const wrapper = protobufs.PreKeyWhisperMessage.decode(encrypted.body.subarray(1))
  wrapper.message = flipLastByte(wrapper.message)
  return { type: 'pkmsg', body: Buffer.concat([Buffer.from([version]), Buffer.from(protobufs.PreKeyWhisperMessage.encode(wrapper).finish())]) }
}
