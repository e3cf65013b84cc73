/** What every labelled control has around it: its label, a hint, an inline error, and what sits beside it. */
type FieldChrome = {
  id: string
  label: React.ReactNode
  error?: string
  hint?: React.ReactNode
  /** Right of the label (e.g. "Forgot password?"). */
  trailing?: React.ReactNode
  /** Right of the control on wide screens, below it on phones (e.g. the form's only button). */
  beside?: React.ReactNode
  /** Classes of the control's box (width, font). */
  className?: string
}

const BOX = 'block w-full rounded-lg border bg-white text-sm text-slate-900 shadow-xs placeholder:text-slate-400 disabled:cursor-not-allowed disabled:bg-slate-50'

// Whole class names only: Tailwind finds the classes it generates by reading the source.
const BORDER = {
  focus: {
    ok: 'border-slate-300 focus:border-brand-600 focus:ring-2 focus:ring-brand-600/20',
    error: 'border-red-400 focus:border-red-500 focus:ring-2 focus:ring-red-500/20',
  },
  'focus-within': {
    ok: 'border-slate-300 focus-within:border-brand-600 focus-within:ring-2 focus-within:ring-brand-600/20',
    error: 'border-red-400 focus-within:border-red-500 focus-within:ring-2 focus-within:ring-red-500/20',
  },
}

function borderClass(error: string | undefined, focus: keyof typeof BORDER): string {
  return BORDER[focus][error ? 'error' : 'ok']
}

/** The error and hint are what screen readers read out after the label (aria-describedby). */
function describedBy(id: string, error?: string, hint?: React.ReactNode): string | undefined {
  return [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined
}

function FieldFrame({ id, label, error, hint, trailing, beside, children }: FieldChrome & { children: React.ReactNode }) {
  return (
    <div>
      <div className="flex items-baseline justify-between gap-3">
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          {label}
        </label>
        {trailing}
      </div>
      {beside ? (
        <div className="mt-1.5 flex flex-col gap-3 sm:flex-row">
          {children}
          {beside}
        </div>
      ) : (
        <div className="mt-1.5">{children}</div>
      )}
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

/** The chrome's props apart from the control's own. */
function splitChrome<P extends FieldChrome>(props: P): [FieldChrome, Omit<P, keyof FieldChrome>] {
  const { id, label, error, hint, trailing, beside, className, ...control } = props
  return [{ id, label, error, hint, trailing, beside, className }, control]
}

/** What every control gets from its chrome: its id, its error state for screen readers, and the box's look. */
function controlProps({ id, error, hint, className = '' }: FieldChrome) {
  return {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(id, error, hint),
    className: `${BOX} px-3 py-2.5 focus:outline-none ${borderClass(error, 'focus')} ${className}`,
  }
}

/**
 * A labelled input with its hint and inline error, wired up for screen readers. `suffix` is text
 * inside the box after the value (a unit such as "requests / minute").
 */
export function Field({ suffix, ...props }: FieldChrome & Omit<React.ComponentProps<'input'>, 'className'> & { suffix?: React.ReactNode }) {
  const [chrome, input] = splitChrome(props)
  const control = controlProps(chrome)
  return (
    <FieldFrame {...chrome}>
      {suffix ? (
        // The box is drawn around the input and its unit; the input itself is bare.
        <div className={`flex items-center ${BOX} ${borderClass(chrome.error, 'focus-within')} ${chrome.className ?? ''}`}>
          <input {...control} className="min-w-0 flex-1 rounded-l-lg bg-transparent px-3 py-2.5 focus:outline-none" {...input} />
          <span className="shrink-0 pr-3 text-slate-500">{suffix}</span>
        </div>
      ) : (
        <input {...control} {...input} />
      )}
    </FieldFrame>
  )
}

/** A labelled textarea, wired up like Field. */
export function TextareaField(props: FieldChrome & Omit<React.ComponentProps<'textarea'>, 'className'>) {
  const [chrome, textarea] = splitChrome(props)
  return (
    <FieldFrame {...chrome}>
      <textarea {...controlProps(chrome)} {...textarea} />
    </FieldFrame>
  )
}

/** A labelled select, wired up like Field. */
export function SelectField(props: FieldChrome & Omit<React.ComponentProps<'select'>, 'className'>) {
  const [chrome, select] = splitChrome(props)
  return (
    <FieldFrame {...chrome}>
      <select {...controlProps(chrome)} {...select} />
    </FieldFrame>
  )
}
