'use client'
// The virtual phone's richer bubbles: a poll the contact can vote on, a voice note with its play
// button and waveform, and a link's preview card, drawn as WhatsApp's apps draw them.
import { useEffect, useRef, useState } from 'react'
import type { ChatPoll, LinkPreview, VoiceNote } from '@/lib/demo/virtual-phone'

export function PollCard({ poll, meta, onVote }: { poll: ChatPoll; meta: React.ReactNode; onVote: (options: string[]) => void }) {
  const single = poll.selectableCount === 1
  const mine = poll.options.filter((option) => option.mine).map((option) => option.name)
  const most = Math.max(1, ...poll.options.map((option) => option.votes))
  // A single choice replaces the vote; a multiple choice toggles one option in it.
  const pick = (name: string) => onVote(single ? (mine.includes(name) ? [] : [name]) : mine.includes(name) ? mine.filter((option) => option !== name) : [...mine, name])
  return (
    <div className="w-60 max-w-full px-1 pb-0.5 text-slate-900" data-testid="poll">
      <p className="text-[14px] font-semibold leading-snug">{poll.question}</p>
      <p className="mb-1.5 text-[11.5px] text-slate-500">{single ? 'Select one' : 'Select one or more'}</p>
      <ul className="space-y-1.5">
        {poll.options.map((option) => (
          <li key={option.name}>
            <button
              type="button"
              role={single ? 'radio' : 'checkbox'}
              aria-checked={option.mine}
              onClick={() => pick(option.name)}
              className="group flex w-full items-start gap-2 rounded text-left focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/40"
            >
              <span
                aria-hidden
                className={`mt-0.5 grid size-[18px] shrink-0 place-items-center border-2 ${single ? 'rounded-full' : 'rounded'} ${option.mine ? 'border-brand-600 bg-brand-600 text-white' : 'border-slate-400 group-hover:border-brand-600'}`}
              >
                {option.mine && (
                  <svg viewBox="0 0 12 12" className="size-2.5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
                    <path d="m2.5 6.2 2.2 2.2 4.8-5" />
                  </svg>
                )}
              </span>
              <span className="min-w-0 flex-1">
                <span className="flex items-baseline justify-between gap-2 text-[14px] leading-snug">
                  <span className="break-words">{option.name}</span>
                  <span className="tabular-nums text-[12px] text-slate-500" aria-label={`${option.votes} votes`}>
                    {option.votes}
                  </span>
                </span>
                <span aria-hidden className="mt-1 block h-1.5 overflow-hidden rounded-full bg-slate-200">
                  <span className="block h-full rounded-full bg-brand-600 transition-[width]" style={{ width: `${(option.votes / most) * 100}%` }} />
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
      <p className="mt-1 text-right">{meta}</p>
    </div>
  )
}

const minutes = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`

export function VoicePlayer({ voice, meta }: { voice: VoiceNote; meta: React.ReactNode }) {
  const audio = useRef<HTMLAudioElement>(null)
  const [playing, setPlaying] = useState(false)
  const [position, setPosition] = useState(0)
  useEffect(() => () => audio.current?.pause(), [])
  const bars = voice.waveform.length ? voice.waveform : Array.from({ length: 64 }, () => 20)
  const played = voice.seconds ? position / voice.seconds : 0
  const toggle = () => {
    const element = audio.current
    if (!element) return
    if (element.paused) void element.play().catch(() => setPlaying(false))
    else element.pause()
  }
  return (
    <div className="flex w-64 max-w-full items-center gap-2 px-1 py-0.5" data-testid="voice-note">
      <span aria-hidden className="grid size-10 shrink-0 place-items-center rounded-full bg-brand-600/90 text-white">
        <svg viewBox="0 0 24 24" className="size-5" fill="currentColor">
          <path d="M12 14.5a3 3 0 0 0 3-3v-5a3 3 0 1 0-6 0v5a3 3 0 0 0 3 3Zm5-3a5 5 0 0 1-10 0H5.5a6.5 6.5 0 0 0 5.75 6.46V20.5h1.5v-2.54A6.5 6.5 0 0 0 18.5 11.5H17Z" />
        </svg>
      </span>
      <button
        type="button"
        onClick={toggle}
        disabled={!voice.audio}
        aria-label={playing ? 'Pause voice message' : 'Play voice message'}
        className="grid size-8 shrink-0 place-items-center rounded-full text-slate-600 hover:bg-slate-200/70 disabled:opacity-40"
      >
        <svg viewBox="0 0 24 24" className="size-5" fill="currentColor" aria-hidden>
          {playing ? <path d="M7 5h3.5v14H7zM13.5 5H17v14h-3.5z" /> : <path d="M8 5.5v13l10.5-6.5L8 5.5Z" />}
        </svg>
      </button>
      <span className="min-w-0 flex-1">
        <span aria-hidden className="flex h-7 items-center gap-px overflow-hidden">
          {bars.map((bar, index) => (
            <span
              key={index}
              className={`min-w-px max-w-[3px] flex-1 rounded-full ${index / bars.length < played ? 'bg-brand-600' : 'bg-slate-400'}`}
              style={{ height: `${Math.max(12, bar)}%` }}
            />
          ))}
        </span>
        <span className="flex justify-between text-[11px] tabular-nums text-slate-500">
          <span>{minutes(playing || position ? position : voice.seconds)}</span>
          {meta}
        </span>
      </span>
      {voice.audio && (
        <audio
          ref={audio}
          src={voice.audio}
          preload="none"
          onPlay={() => setPlaying(true)}
          onPause={() => setPlaying(false)}
          onEnded={() => {
            setPlaying(false)
            setPosition(0)
          }}
          onTimeUpdate={(event) => setPosition(event.currentTarget.currentTime)}
        />
      )}
    </div>
  )
}

export function LinkCard({ preview }: { preview: LinkPreview }) {
  let host = preview.url
  try {
    host = new URL(preview.url).host
  } catch {}
  return (
    <div data-testid="link-preview" className="mb-1 flex overflow-hidden rounded-md bg-black/5">
      {preview.thumbnail && (
        // eslint-disable-next-line @next/next/no-img-element -- the preview's own thumbnail, a data URL
        <img src={preview.thumbnail} alt="" className="size-16 shrink-0 object-cover" />
      )}
      <span className="min-w-0 px-2 py-1.5">
        <span className="line-clamp-2 block text-[13px] font-medium leading-snug text-slate-900">{preview.title}</span>
        {preview.description && <span className="line-clamp-2 block text-[12px] leading-snug text-slate-600">{preview.description}</span>}
        <span className="block truncate text-[11px] text-slate-500">{host}</span>
      </span>
    </div>
  )
}
