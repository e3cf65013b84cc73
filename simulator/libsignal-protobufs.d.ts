// Types for the one internal module of libsignal the simulator uses: its WhisperTextProtocol codecs
// (node_modules/libsignal/src/protobufs.js), to reach the message inside a PreKeyWhisperMessage.
declare module 'libsignal/src/protobufs.js' {
  interface PreKeyWhisperMessage {
    message: Uint8Array
  }
  const protobufs: {
    PreKeyWhisperMessage: {
      decode(bytes: Uint8Array): PreKeyWhisperMessage
      encode(message: PreKeyWhisperMessage): { finish(): Uint8Array }
    }
  }
  export default protobufs
}
