/** A labelled textarea with its hint and inline error, wired up like Field. */
export function TextareaField({
  id,
  label,
  error,
  hint,
  trailing,
  className = '',
  ...textarea
}: React.TextareaHTMLAttributes<HTMLTextAreaElement> & { id: string; label: string; error?: string; hint?: React.ReactNode; trailing?: React.ReactNode }) {
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined
  return (
    <div>
      <div className="flex items-baseline justify-between">
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          {label}
        </label>
        {trailing}
      </div>
      <textarea
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`mt-1.5 block w-full rounded-lg border bg-white px-3 py-2.5 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:outline-none focus:ring-2 ${
          error ? 'border-red-400 focus:border-red-500 focus:ring-red-500/20' : 'border-slate-300 focus:border-brand-600 focus:ring-brand-600/20'
        } ${className}`}
        {...textarea}
      />
      {error && (
        <p id={`${id}-error`} className="mt-1.5 whitespace-pre-line text-sm text-red-600">
          {error}
        </p>
      )}
      {hint && (
        <p id={`${id}-hint`} className="mt-1.5 text-sm text-slate-500">
          {hint}
        </p>
      )}
    </div>
  )
}
