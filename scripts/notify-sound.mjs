// Writes the panel's notification sound (NTF-02): a short two-tone beep, 16-bit mono PCM WAV at
// 22,050 Hz with a soft attack and release, made from sines here rather than downloaded.
// Run: node scripts/notify-sound.mjs (writes packages/ui-htmx/src/static/notify.wav).
import { writeFileSync } from "node:fs"

const rate = 22050
const tones = [
  { hz: 880, seconds: 0.09 },
  { hz: 1320, seconds: 0.12 }
]
const samples = []
for (const { hz, seconds } of tones) {
  const count = Math.round(rate * seconds)
  const fade = Math.round(rate * 0.01)
  for (let i = 0; i < count; i++) {
    const envelope = Math.min(1, i / fade, (count - i) / fade)
    samples.push(Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * envelope * 0.4 * 32767))
  }
}
const data = Buffer.alloc(samples.length * 2)
samples.forEach((sample, i) => data.writeInt16LE(sample, i * 2))
const header = Buffer.alloc(44)
header.write("RIFF", 0)
header.writeUInt32LE(36 + data.length, 4)
header.write("WAVE", 8)
header.write("fmt ", 12)
header.writeUInt32LE(16, 16)
header.writeUInt16LE(1, 20) // PCM
header.writeUInt16LE(1, 22) // mono
header.writeUInt32LE(rate, 24)
header.writeUInt32LE(rate * 2, 28)
header.writeUInt16LE(2, 32)
header.writeUInt16LE(16, 34)
header.write("data", 36)
header.writeUInt32LE(data.length, 40)
writeFileSync(new URL("../packages/ui-htmx/src/static/notify.wav", import.meta.url), Buffer.concat([header, data]))
