'use client'
import type { InboxMessage } from '@/lib/services/inbox/message-view'
import { DocumentIcon, MicIcon, PinIcon } from './inbox-icons'
import { clockTime } from './time'
import { Ticks } from './ticks'

function fileSize(bytes: number | null): string | null {
  if (bytes === null) return null
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** A small drawn map (no tile server is reachable from every deployment) with the pin, linking to the phone's maps app. */
function LocationCard({ location }: { location: NonNullable<InboxMessage['location']> }) {
  const coordinates = `${location.latitude.toFixed(5)}, ${location.longitude.toFixed(5)}`
  return (
    <a href={`geo:${location.latitude},${location.longitude}`} className="block w-60 max-w-full overflow-hidden rounded-lg ring-1 ring-black/5" data-location={coordinates}>
      <span aria-hidden className="relative block h-28 bg-[#e8efe4]">
        <svg viewBox="0 0 240 112" className="absolute inset-0 size-full" preserveAspectRatio="none">
          <path d="M0 70 Q60 50 120 72 T240 60" stroke="#fff" strokeWidth="9" fill="none" />
          <path d="M80 0 L96 112 M170 0 Q160 60 188 112" stroke="#fff" strokeWidth="6" fill="none" />
          <path d="M0 24 L240 34" stroke="#f8e7b0" strokeWidth="5" fill="none" />
          <rect x="18" y="80" width="40" height="22" rx="3" fill="#cfe3c6" />
          <rect x="196" y="6" width="34" height="20" rx="3" fill="#cbdcef" />
        </svg>
        <PinIcon className="absolute top-1/2 left-1/2 size-8 -translate-x-1/2 -translate-y-full fill-red-500 text-red-700" />
      </span>
      <span className="block bg-white/70 px-2.5 py-1.5">
        {location.name && <span className="block truncate text-[13px] font-medium text-slate-900">{location.name}</span>}
        <span className="block truncate text-xs text-slate-500">{location.address ?? coordinates}</span>
      </span>
    </a>
  )
}

function Poll({ poll }: { poll: NonNullable<InboxMessage['poll']> }) {
  const total = poll.options.reduce((sum, option) => sum + option.votes, 0)
  return (
    <div className="w-64 max-w-full" data-poll>
      <p className="font-semibold text-slate-900">{poll.name}</p>
      <p className="mt-0.5 text-xs text-slate-500">{poll.selectableCount === 1 ? 'Select one' : 'Select one or more'}</p>
      <ul className="mt-2 space-y-2">
        {poll.options.map((option) => (
          <li key={option.name}>
            <div className="flex justify-between gap-3 text-[13px]">
              <span className="text-slate-800">{option.name}</span>
              <span className="tabular-nums text-slate-500">{option.votes}</span>
            </div>
            <div className="mt-1 h-1.5 rounded-full bg-slate-200/80">
              <div className="h-1.5 rounded-full bg-brand-500" style={{ width: `${total ? (option.votes / total) * 100 : 0}%` }} />
            </div>
          </li>
        ))}
      </ul>
    </div>
  )
}

function Media({ message }: { message: InboxMessage }) {
  const media = message.media
  if (message.kind === 'image' && media) {
    return (
      <a href={media.url} target="_blank" rel="noreferrer" className="-mx-1 -mt-0.5 mb-1 block overflow-hidden rounded-lg">
        {/* eslint-disable-next-line @next/next/no-img-element -- bytes from our media route, any size */}
        <img src={media.url} alt={message.text ?? 'Photo'} loading="lazy" className="max-h-72 min-h-24 w-full min-w-40 bg-slate-100 object-cover" />
      </a>
    )
  }
  if (message.kind === 'sticker' && media) {
    // eslint-disable-next-line @next/next/no-img-element -- a WebP sticker from our media route
    return <img src={media.url} alt="Sticker" loading="lazy" className="size-32 object-contain" />
  }
  if (message.kind === 'video' && media) {
    return <video src={media.url} controls preload="metadata" className="-mx-1 -mt-0.5 mb-1 max-h-72 w-full rounded-lg bg-black" />
  }
  if ((message.kind === 'voice' || message.kind === 'audio') && media) {
    return (
      <div className="flex items-center gap-2">
        {message.kind === 'voice' && (
          <span className="grid size-8 shrink-0 place-items-center rounded-full bg-brand-600 text-white">
            <MicIcon className="size-4" />
          </span>
        )}
        <audio src={media.url} controls preload="none" className="h-9 w-56 max-w-full" aria-label={message.kind === 'voice' ? 'Voice message' : 'Audio'} />
      </div>
    )
  }
  if (message.kind === 'document') {
    const size = fileSize(media?.size ?? null)
    const content = (
      <>
        <span className="grid size-10 shrink-0 place-items-center rounded-md bg-white text-brand-700 ring-1 ring-slate-200">
          <DocumentIcon className="size-5" />
        </span>
        <span className="min-w-0">
          <span className="block truncate text-[13px] font-medium text-slate-900">{media?.fileName ?? 'Document'}</span>
          <span className="block text-xs text-slate-500">{[media?.mimetype.split('/')[1]?.toUpperCase(), size].filter(Boolean).join(' · ')}</span>
        </span>
      </>
    )
    return media ? (
      <a href={media.url} download={media.fileName ?? true} className="mb-1 flex w-64 max-w-full items-center gap-3 rounded-lg bg-black/[0.04] p-2 hover:bg-black/[0.07]" data-document>
        {content}
      </a>
    ) : (
      <div className="mb-1 flex w-64 max-w-full items-center gap-3 rounded-lg bg-black/[0.04] p-2">{content}</div>
    )
  }
  if (message.kind === 'location' && message.location) return <LocationCard location={message.location} />
  if (message.kind === 'poll' && message.poll) return <Poll poll={message.poll} />
  return null
}

/** One message as a bubble: ours on the right in green, theirs on the left, with time, ticks, edits, reactions. */
export function MessageBubble({ message, showSender }: { message: InboxMessage; showSender: boolean }) {
  const mine = message.fromMe
  const textShown = message.deleted ? null : message.kind === 'location' || message.kind === 'poll' ? null : message.text
  const bare = message.kind === 'sticker' && !message.deleted
  return (
    <div data-message-id={message.id} className={`flex ${mine ? 'justify-end' : 'justify-start'} ${message.reactions.length ? 'mb-4' : ''}`}>
      <div
        className={`relative max-w-[85%] sm:max-w-[70%] ${bare ? '' : `rounded-xl px-2.5 pt-1.5 pb-1 shadow-xs ${mine ? 'rounded-tr-sm bg-[#d9fdd3] dark:bg-emerald-900' : 'rounded-tl-sm bg-white'}`}`}
      >
        {showSender && message.sender && <p className="mb-0.5 truncate text-xs font-semibold text-brand-700">{message.sender}</p>}
        {message.replyTo && !message.deleted && (
          <div className="mb-1 rounded-md border-l-4 border-brand-500 bg-black/[0.05] px-2 py-1 text-xs" data-reply-to={message.replyTo.id}>
            <p className="font-semibold text-brand-700">{message.replyTo.sender || 'Reply'}</p>
            <p className="line-clamp-2 text-slate-600">{message.replyTo.preview}</p>
          </div>
        )}
        {message.deleted ? (
          <p className="text-sm text-slate-500 italic" data-deleted>
            {mine ? 'You deleted this message' : 'This message was deleted'}
          </p>
        ) : (
          <Media message={message} />
        )}
        {textShown && <p className="text-sm break-words whitespace-pre-wrap text-slate-900">{textShown}</p>}
        <p className={`mt-0.5 flex items-center justify-end gap-1 text-[11px] text-slate-500 ${bare ? 'rounded-full bg-white/80 px-1.5' : ''}`}>
          {message.edited && <span data-edited>edited</span>}
          <time dateTime={new Date(message.at * 1000).toISOString()} suppressHydrationWarning className="tabular-nums">
            {clockTime(message.at)}
          </time>
          {mine && <Ticks status={message.status} />}
        </p>
        {message.error && <p className="mt-0.5 text-xs text-red-700">{message.error}</p>}
        {message.reactions.length > 0 && (
          <ul aria-label="Reactions" className={`absolute -bottom-4 flex gap-0.5 rounded-full bg-white px-1.5 py-0.5 text-xs shadow-sm ring-1 ring-slate-200 ${mine ? 'right-2' : 'left-2'}`}>
            {message.reactions.map((reaction) => (
              <li key={reaction.emoji} title={reaction.mine ? 'Including you' : undefined}>
                {reaction.emoji}
                {reaction.count > 1 && <span className="ml-0.5 text-slate-500">{reaction.count}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  )
}
