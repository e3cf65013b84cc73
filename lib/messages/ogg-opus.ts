// Ogg/Opus, read without decoding: WhatsApp's voice notes are Opus in Ogg (RFC 7845). An Ogg stream
// is pages ("OggS", granule position, a segment table of lacing values); its first packet is the
// OpusHead (pre-skip at byte 10), and the last page's granule position counts 48 kHz samples.

export type OggOpusInfo = { seconds: number; packetSizes: number[] }

type Page = { granule: bigint; segments: number[]; dataStart: number }

function* pages(bytes: Buffer): Generator<Page> {
  let offset = 0
  while (offset + 27 <= bytes.length && bytes.toString('latin1', offset, offset + 4) === 'OggS') {
    const count = bytes[offset + 26]
    const segments = [...bytes.subarray(offset + 27, offset + 27 + count)]
    const dataStart = offset + 27 + count
    yield { granule: bytes.readBigInt64LE(offset + 6), segments, dataStart }
    offset = dataStart + segments.reduce((sum, size) => sum + size, 0)
  }
}

/** True for an Ogg stream whose first packet is an OpusHead. */
export function isOggOpus(bytes: Buffer): boolean {
  const first = pages(bytes).next()
  return !first.done && bytes.toString('latin1', first.value.dataStart, first.value.dataStart + 8) === 'OpusHead'
}

/** Duration and the size of every audio packet (the two header packets left out); undefined when it is not Ogg/Opus. */
export function readOggOpus(bytes: Buffer): OggOpusInfo | undefined {
  if (!isOggOpus(bytes)) return undefined
  let preSkip = 0
  let lastGranule = 0n
  const packetSizes: number[] = []
  let packet = 0
  let packetIndex = 0
  for (const page of pages(bytes)) {
    if (packetIndex === 0 && packet === 0) preSkip = bytes.readUInt16LE(page.dataStart + 10)
    if (page.granule > 0n) lastGranule = page.granule
    for (const lacing of page.segments) {
      packet += lacing
      if (lacing === 255) continue // the packet goes on in the next segment
      if (packetIndex >= 2) packetSizes.push(packet)
      packetIndex++
      packet = 0
    }
  }
  const samples = Number(lastGranule) - preSkip
  return { seconds: Math.max(0, samples) / 48_000, packetSizes }
}
